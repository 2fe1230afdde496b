package org.switchboard.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.ConfigFactory;

class TlsSettingsTest {
    @TempDir
    Path dir;

    private static TlsSettings parse(String hocon) {
        return TlsSettings.fromConfig(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.parseString(
                "port = 0, certificate = \"\", private-key = \"\", trust = \"\", client-auth = none, sni = []")));
    }

    @Test
    void offByDefaultAndValidWithoutFiles() {
        TlsSettings s = parse("");
        assertFalse(s.enabled());
        assertEquals(s, s.validate());
        assertEquals(Optional.empty(), s.certificate());
    }

    @Test
    void aPortWithoutACertificateIsRefusedWithOneLineNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("port = 5061").validate());
        assertTrue(e.getMessage().contains("switchboard.sip.tls.certificate"), e.getMessage());
    }

    @Test
    void anUnreadableFileIsNamed() throws Exception {
        Path cert = Files.writeString(dir.resolve("a.crt"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("port = 5061, certificate = \""
                + cert + "\", private-key = \"" + dir.resolve("missing.key") + "\"").validate());
        assertTrue(e.getMessage().contains("private-key") && e.getMessage().contains("missing.key"), e.getMessage());
    }

    @Test
    void clientAuthNeedsATrustBundleAndAKnownValue() throws Exception {
        Path cert = Files.writeString(dir.resolve("a.crt"), "x");
        Path key = Files.writeString(dir.resolve("a.key"), "x");
        String files = "port = 5061, certificate = \"" + cert + "\", private-key = \"" + key + "\"";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(files + ", client-auth = need").validate());
        assertTrue(e.getMessage().contains("trust"), e.getMessage());
        assertEquals(TlsSettings.ClientAuth.WANT, parse(files + ", client-auth = want, trust = \"" + cert + "\"").validate().clientAuth());
        assertThrows(IllegalArgumentException.class, () -> parse("client-auth = sometimes"));
    }

    @Test
    void sniEntriesAreReadAndTheirFilesChecked() throws Exception {
        Path cert = Files.writeString(dir.resolve("a.crt"), "x");
        Path key = Files.writeString(dir.resolve("a.key"), "x");
        TlsSettings s = parse("port = 5061, certificate = \"" + cert + "\", private-key = \"" + key + "\", sni = [ { host = "
                + "\"Example.COM\", certificate = \"" + cert + "\", private-key = \"" + dir.resolve("nope.key") + "\" } ]");
        assertEquals("example.com", s.sni().get(0).host());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::validate);
        assertTrue(e.getMessage().contains("sni[example.com].private-key"), e.getMessage());
    }
}
