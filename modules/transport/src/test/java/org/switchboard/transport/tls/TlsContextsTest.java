package org.switchboard.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.transport.HandClock;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

class TlsContextsTest {
    @TempDir
    Path dir;

    private TlsSettings settings(List<TlsSettings.SniEntry> sni) {
        return new TlsSettings(5061, Optional.of(dir.resolve("node.crt")), Optional.of(dir.resolve("node.key")),
                Optional.empty(), TlsSettings.ClientAuth.NONE, sni);
    }

    @Test
    void servesTheSniCertificateForItsHostAndTheDefaultOtherwise() {
        Openssl.selfSigned(dir, "node", "default.test");
        Openssl.selfSigned(dir, "other", "other.test");
        TlsContexts contexts = TlsContexts.load(settings(List.of(new TlsSettings.SniEntry("other.test",
                dir.resolve("other.crt"), dir.resolve("other.key")))), Duration.ofSeconds(2), Clock.systemUTC());
        assertEquals("CN=other.test", subject(contexts.server("OTHER.test")));
        assertEquals("CN=default.test", subject(contexts.server("unknown.test")));
        assertEquals("CN=default.test", subject(contexts.server(null)));
        SSLEngine engine = contexts.server(null).newEngine(ByteBufAllocator.DEFAULT);
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), List.of(engine.getEnabledProtocols()));
        assertTrue(contexts.client().isClient());
    }

    @Test
    void aReplacedCertificateIsLoadedAfterTheCheckIntervalAndABrokenOneKeepsTheOld() throws Exception {
        Openssl.selfSigned(dir, "node", "first.test");
        HandClock clock = new HandClock(Instant.parse("2026-01-01T00:00:00Z"));
        TlsContexts contexts = TlsContexts.load(settings(List.of()), Duration.ofSeconds(2), clock);
        SslContext first = contexts.server(null);
        assertEquals("CN=first.test", subject(first));

        Openssl.selfSigned(dir, "new", "second.test");
        Files.move(dir.resolve("new.crt"), dir.resolve("node.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(dir.resolve("new.key"), dir.resolve("node.key"), StandardCopyOption.REPLACE_EXISTING);
        assertSame(first, contexts.server(null), "not checked again before the interval");
        clock.advance(Duration.ofSeconds(3));
        assertEquals("CN=second.test", subject(contexts.server(null)));

        SslContext second = contexts.server(null);
        Files.writeString(dir.resolve("node.crt"), "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
        clock.advance(Duration.ofSeconds(3));
        assertSame(second, contexts.server(null), "a broken file keeps the certificate in use");
        assertNotSame(null, contexts.client());
    }

    @Test
    void aFileThatIsNotACertificateFailsTheLoadWithItsReason() throws Exception {
        Openssl.selfSigned(dir, "node", "first.test");
        Files.writeString(dir.resolve("node.key"), "not a key");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.load(settings(List.of()), Duration.ofSeconds(2), Clock.systemUTC()));
        assertTrue(e.getMessage().startsWith("switchboard.sip.tls"), e.getMessage());
    }

    /** The subject of the certificate {@code server} presents, by an in-memory handshake with a trusting client. */
    private static String subject(SslContext server) {
        try {
            SSLEngine client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE).build().newEngine(ByteBufAllocator.DEFAULT);
            SSLEngine srv = server.newEngine(ByteBufAllocator.DEFAULT);
            ByteBuffer c2s = ByteBuffer.allocate(1 << 17);
            ByteBuffer s2c = ByteBuffer.allocate(1 << 17);
            client.beginHandshake();
            srv.beginHandshake();
            for (int i = 0; i < 100 && !(idle(client) && idle(srv)); i++) {
                step(client, c2s, s2c);
                step(srv, s2c, c2s);
            }
            return ((X509Certificate) client.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean idle(SSLEngine e) {
        return e.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }

    /** Writes what {@code e} has to send into {@code out}, then reads what the other side left in {@code in}. */
    private static void step(SSLEngine e, ByteBuffer out, ByteBuffer in) throws Exception {
        ByteBuffer app = ByteBuffer.allocate(1 << 17);
        tasks(e);
        e.wrap(ByteBuffer.allocate(0), out);
        tasks(e);
        in.flip();
        while (in.hasRemaining()) {
            SSLEngineResult r = e.unwrap(in, app);
            tasks(e);
            if (r.bytesConsumed() == 0) {
                break;
            }
        }
        in.compact();
    }

    private static void tasks(SSLEngine e) {
        for (Runnable t = e.getDelegatedTask(); t != null; t = e.getDelegatedTask()) {
            t.run();
        }
    }
}
