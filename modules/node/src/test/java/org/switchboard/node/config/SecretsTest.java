package org.switchboard.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueFactory;

/** What --check-config prints: the effective tree, sorted, and never a secret. */
class SecretsTest {
    private static final Config REFERENCE = ConfigFactory.defaultReference().resolve();

    @Test
    void everySecretOfReferenceConfIsMaskedWhenSet() {
        Set<String> secrets = new TreeSet<>();
        Config config = REFERENCE;
        int n = 0;
        for (String path : ConfigSchema.of(REFERENCE).leaves().keySet()) {
            List<String> keys = ConfigUtil.splitPath(path);
            if (Secrets.isSecret(keys.get(keys.size() - 1))) {
                secrets.add(path);
                config = config.withValue(path, ConfigValueFactory.fromAnyRef("LEAKED-" + n++ + "-value"));
            }
        }
        // the secrets reference.conf has today: a new one whose name says what it is is masked without a change here
        assertEquals(Set.of("switchboard.admin.token", "switchboard.admin.token-file",
                "switchboard.cluster-secret", "switchboard.journal.password",
                "switchboard.management.tls.private-key",
                "switchboard.security.cluster-tls.private-key", "switchboard.sip.tls.private-key",
                "switchboard.sip.wss.private-key"), secrets);
        config = config.withValue("switchboard.sip.tls.sni", ConfigValueFactory.fromIterable(List.of(java.util.Map.of(
                "host", "example.com", "certificate", "/etc/x.crt", "private-key", "LEAKED-sni-key"))));
        String printed = ConfigPrinter.render(config);
        assertFalse(printed.contains("LEAKED"), printed);
        assertTrue(printed.contains("password=\"********\""), printed);
        assertTrue(printed.contains("cluster-secret=\"********\""), printed);
        assertTrue(printed.contains("certificate=\"/etc/x.crt\""), printed);
    }

    @Test
    void namesThatSayTheyAreSecret() {
        for (String key : List.of("password", "key-store-password", "keystore-pass", "cluster-secret", "api-token",
                "private-key", "privateKey", "trust-store-password", "passphrase")) {
            assertTrue(Secrets.isSecret(key), key);
        }
        for (String key : List.of("certificate", "ca", "trust", "user", "host", "max-connections", "keep-alive")) {
            assertFalse(Secrets.isSecret(key), key);
        }
    }

    @Test
    void credentialsInAUrlAreMasked() {
        assertEquals("jdbc:postgresql://db:5432/sb?user=sb&password=********&ssl=true",
                Secrets.maskUrl("jdbc:postgresql://db:5432/sb?user=sb&password=hunter2&ssl=true"));
        assertEquals("postgresql://sb:********@db:5432/sb", Secrets.maskUrl("postgresql://sb:hunter2@db:5432/sb"));
        assertEquals("jdbc:h2:file:/var/lib/switchboard/journal;WRITE_DELAY=0",
                Secrets.maskUrl("jdbc:h2:file:/var/lib/switchboard/journal;WRITE_DELAY=0"));
    }

    @Test
    void theTreeIsPrintedSortedAsHoconWithoutComments() {
        String printed = ConfigPrinter.render(REFERENCE);
        assertTrue(printed.startsWith("switchboard {"), printed);
        assertFalse(printed.contains("#"), printed);
        assertFalse(printed.contains("akka"), printed);
        List<String> topLevel = new ArrayList<>();
        printed.lines().filter(l -> l.matches("^    [a-z].*")).forEach(l -> topLevel.add(l.strip().split("[ =]")[0]));
        List<String> sorted = new ArrayList<>(topLevel);
        sorted.sort(null);
        assertEquals(sorted, topLevel);
        assertTrue(topLevel.containsAll(List.of("cluster", "journal", "sip", "warm-up")), topLevel.toString());
        // and it reads back as the same tree
        Config back = ConfigFactory.parseString(printed);
        assertEquals(REFERENCE.getConfig("switchboard.sip").withoutPath("tls").withoutPath("wss").root().unwrapped(),
                back.getConfig("switchboard.sip").withoutPath("tls").withoutPath("wss").root().unwrapped());
    }
}
