package org.switchboard.transport.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Mapping;

/**
 * The TLS contexts of a node, built from the PEM files of {@link TlsSettings} with the JDK provider, TLS 1.2 and
 * 1.3 only: the listener's (a default certificate and one per SNI host) and the client's (the JDK's trust store
 * plus the configured bundle; the default certificate offered to servers that ask for one).
 *
 * <p>Certificates are renewed on disk while the node runs: at most once per {@code checkEvery}, when a connection
 * arrives or leaves, the files' modification times and sizes are compared with those the contexts were built from.
 * A changed set is loaded whole; a broken one keeps the contexts in use (and is logged), so a half-written renewal
 * never takes the listener down.
 */
public final class TlsContexts {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    /** One consistent set of contexts and the file stamps it was built from. */
    private record Loaded(Optional<SslContext> server, Map<String, SslContext> sni, SslContext client,
                          Map<Path, String> stamps) {
    }

    private final TlsSettings settings;
    private final Duration checkEvery;
    private final Clock clock;
    private volatile Loaded loaded;
    private volatile Instant lastCheck;

    private TlsContexts(TlsSettings settings, Duration checkEvery, Clock clock, Loaded loaded) {
        this.settings = settings;
        this.checkEvery = checkEvery;
        this.clock = clock;
        this.loaded = loaded;
        this.lastCheck = clock.instant();
    }

    /** Builds the contexts now: a file that is not usable fails here, at start-up, with its name. */
    public static TlsContexts load(TlsSettings settings, Duration checkEvery, Clock clock) {
        Map<Path, String> stamps = stamps(settings);
        try {
            return new TlsContexts(settings, checkEvery, clock, build(settings, stamps));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("switchboard.sip.tls: " + reason(e));
        }
    }

    /** The listener's context for a client asking for {@code host} (null: no SNI): that host's, else the default. */
    public SslContext server(String host) {
        refresh();
        Loaded l = loaded;
        SslContext byName = host == null ? null : l.sni().get(host.toLowerCase(Locale.ROOT));
        return byName != null ? byName : l.server().orElseThrow(() -> new IllegalStateException("TLS listener is off"));
    }

    /** For Netty's SniHandler: each new connection gets the context current at its handshake. */
    public Mapping<String, SslContext> sniMapping() {
        return this::server;
    }

    public SslContext client() {
        refresh();
        return loaded.client();
    }

    /** Reloads when a file changed since the last load, checking at most once per {@code checkEvery}. */
    public void refresh() {
        Instant now = clock.instant();
        if (Duration.between(lastCheck, now).compareTo(checkEvery) < 0) {
            return;
        }
        synchronized (this) {
            if (Duration.between(lastCheck, now).compareTo(checkEvery) < 0) {
                return;
            }
            lastCheck = now;
            Map<Path, String> stamps = stamps(settings);
            Loaded current = loaded;
            if (stamps.equals(current.stamps())) {
                return;
            }
            try {
                loaded = build(settings, stamps);
                log.info("TLS certificates reloaded from {}", settings.files());
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                // the new files are kept out until they change again: no WARN per connection
                loaded = new Loaded(current.server(), current.sni(), current.client(), stamps);
                log.warn("TLS certificate files changed but cannot be loaded ({}); still serving the previous ones", reason(e));
            }
        }
    }

    private static Loaded build(TlsSettings s, Map<Path, String> stamps) throws IOException, GeneralSecurityException {
        Optional<SslContext> server = Optional.empty();
        Map<String, SslContext> sni = new HashMap<>();
        if (s.enabled()) {
            server = Optional.of(server(s, s.certificate().orElseThrow(), s.privateKey().orElseThrow()));
            for (TlsSettings.SniEntry e : s.sni()) {
                sni.put(e.host(), server(s, e.certificate(), e.privateKey()));
            }
        }
        SslContextBuilder client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                .trustManager(clientTrust(s.trust()))
                .endpointIdentificationAlgorithm("HTTPS");
        if (s.enabled()) {
            client.keyManager(s.certificate().orElseThrow().toFile(), s.privateKey().orElseThrow().toFile());
        }
        return new Loaded(server, Map.copyOf(sni), client.build(), stamps);
    }

    private static SslContext server(TlsSettings s, Path certificate, Path key) throws IOException {
        SslContextBuilder b = SslContextBuilder.forServer(certificate.toFile(), key.toFile())
                .sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                .clientAuth(switch (s.clientAuth()) {
                    case NONE -> ClientAuth.NONE;
                    case WANT -> ClientAuth.OPTIONAL;
                    case NEED -> ClientAuth.REQUIRE;
                });
        if (s.trust().isPresent()) {
            b.trustManager(s.trust().get().toFile());
        }
        return b.build();
    }

    /** The JDK's default trust anchors and the configured bundle's certificates, in one trust manager. */
    private static TrustManagerFactory clientTrust(Optional<Path> bundle) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        int i = 0;
        for (var tm : jdk.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                for (X509Certificate c : x.getAcceptedIssuers()) {
                    store.setCertificateEntry("jdk-" + i++, c);
                }
            }
        }
        if (bundle.isPresent()) {
            List<Certificate> certs = certificates(bundle.get());
            if (certs.isEmpty()) {
                throw new GeneralSecurityException(bundle.get() + " holds no PEM certificate");
            }
            for (Certificate c : certs) {
                store.setCertificateEntry("trust-" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return tmf;
    }

    private static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
    }

    private static Map<Path, String> stamps(TlsSettings s) {
        Map<Path, String> stamps = new HashMap<>();
        for (Path f : s.files()) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                stamps.put(f, a.lastModifiedTime().toInstant() + "/" + a.size() + "/" + a.fileKey());
            } catch (IOException e) {
                stamps.put(f, "missing");
            }
        }
        return stamps;
    }

    private static String reason(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
