package org.switchboard.transport.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.typesafe.config.Config;

/**
 * The SIP-over-TLS listener ({@code switchboard.sip.tls}, RFC 3261 §26, RFC 5630): its port (0: off), the default
 * certificate and key, the CA bundle that vouches for clients (mutual TLS with trunks) and, besides the JDK's own
 * trust store, for servers this node connects to, whether clients must show a certificate, and one certificate per
 * further domain chosen by the client's SNI. All files are PEM.
 */
public record TlsSettings(int port, Optional<Path> certificate, Optional<Path> privateKey, Optional<Path> trust,
                          ClientAuth clientAuth, List<SniEntry> sni) {

    /** Whether a client of the listener must present a certificate issued by {@code trust}. */
    public enum ClientAuth { NONE, WANT, NEED }

    /** The certificate served to clients asking for {@code host} by SNI. */
    public record SniEntry(String host, Path certificate, Path privateKey) {
    }

    public TlsSettings {
        sni = List.copyOf(sni);
    }

    /** TLS off: no listener; outbound TLS still works with the JDK's trust store. */
    public static TlsSettings off() {
        return new TlsSettings(0, Optional.empty(), Optional.empty(), Optional.empty(), ClientAuth.NONE, List.of());
    }

    /** Reads the block; {@link #validate} says whether the files it names are usable. */
    public static TlsSettings fromConfig(Config tls) {
        List<SniEntry> sni = new ArrayList<>();
        if (tls.hasPath("sni")) {
            for (Config entry : tls.getConfigList("sni")) {
                sni.add(new SniEntry(entry.getString("host").toLowerCase(Locale.ROOT),
                        Path.of(entry.getString("certificate")), Path.of(entry.getString("private-key"))));
            }
        }
        String auth = tls.getString("client-auth").toUpperCase(Locale.ROOT);
        ClientAuth clientAuth;
        try {
            clientAuth = ClientAuth.valueOf(auth);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("switchboard.sip.tls.client-auth must be none, want or need, not '"
                    + tls.getString("client-auth") + "'");
        }
        return new TlsSettings(tls.getInt("port"), path(tls, "certificate"), path(tls, "private-key"),
                path(tls, "trust"), clientAuth, sni);
    }

    public boolean enabled() {
        return port > 0;
    }

    /**
     * Whether a listener can be built from these settings: with a port set, the certificate and key must be
     * readable files; client-auth want/need needs a trust bundle. Throws with one line for the operator.
     */
    public TlsSettings validate() {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("switchboard.sip.tls.port must be 0-65535, got " + port);
        }
        if (!enabled()) {
            trust.ifPresent(t -> readable(t, "trust"));
            return this;
        }
        readable(certificate.orElseThrow(() -> missing("certificate")), "certificate");
        readable(privateKey.orElseThrow(() -> missing("private-key")), "private-key");
        trust.ifPresent(t -> readable(t, "trust"));
        if (clientAuth != ClientAuth.NONE && trust.isEmpty()) {
            throw new IllegalArgumentException("switchboard.sip.tls.client-auth = " + clientAuth.name().toLowerCase(Locale.ROOT)
                    + " needs switchboard.sip.tls.trust (the CA bundle client certificates must chain to)");
        }
        for (SniEntry e : sni) {
            readable(e.certificate(), "sni[" + e.host() + "].certificate");
            readable(e.privateKey(), "sni[" + e.host() + "].private-key");
        }
        return this;
    }

    /** Every file the contexts are built from, watched for changes. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        certificate.ifPresent(files::add);
        privateKey.ifPresent(files::add);
        trust.ifPresent(files::add);
        sni.forEach(e -> {
            files.add(e.certificate());
            files.add(e.privateKey());
        });
        return files;
    }

    private static Optional<Path> path(Config tls, String key) {
        String value = tls.getString(key);
        return value.isBlank() ? Optional.empty() : Optional.of(Path.of(value).toAbsolutePath().normalize());
    }

    private static IllegalArgumentException missing(String key) {
        return new IllegalArgumentException("switchboard.sip.tls." + key + " must name a PEM file when switchboard.sip.tls.port is set");
    }

    private static void readable(Path file, String key) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("switchboard.sip.tls." + key + ": cannot read " + file);
        }
    }
}
