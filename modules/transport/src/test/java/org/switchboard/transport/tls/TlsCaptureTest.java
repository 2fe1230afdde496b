package org.switchboard.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.switchboard.sip.Branches;
import org.switchboard.sip.framing.FramingLimits;
import org.switchboard.transport.Edge;
import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.TransportSettings;
import org.switchboard.transport.WebSocketSettings;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.api.TransportCommand;
import org.switchboard.transport.dns.DnsSettings;
import org.switchboard.transport.hep.SipCapture;
import org.switchboard.transport.netty.NettyListeners;
import org.switchboard.transport.security.EdgeGuard;
import org.switchboard.transport.security.EdgeSecurity;

import com.typesafe.config.ConfigFactory;

import akka.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * SIP over TLS is captured as SIP, both ways, on the node's real listeners: an OPTIONS sent over a TLS connection
 * and the 200 the edge answers it with, each once, in clear, with the connection's two addresses.
 */
class TlsCaptureTest {
    private static final ActorTestKit testKit = ActorTestKit.create();

    private record Seen(String message, SipTransport transport, InetSocketAddress source, InetSocketAddress destination) {
    }

    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void sipOverTlsIsCapturedDecryptedBothWays() throws Exception {
        Openssl.selfSigned(dir, "node", "node.test");
        TransportSettings settings = new TransportSettings("127.0.0.1", 0, "127.0.0.1", 5060,
                new FramingLimits(16384, 49152), 1 << 20, 65535, new TlsSettings(freePort(),
                Optional.of(dir.resolve("node.crt")), Optional.of(dir.resolve("node.key")), Optional.empty(),
                TlsSettings.ClientAuth.NONE, List.of()), 1300);
        EdgeSecurity security = EdgeSecurity.fromConfig(ConfigFactory.parseString("""
                trusted-peers = []
                rate-limit { enabled = off, requests-per-second = 50, burst = 200, max-sources = 100, log-interval = 60s }
                auth-failures { limit = 20, window = 60s, ban-time = 15m }
                tcp { idle-timeout = 120s, message-timeout = 10s, max-connections = 100, max-connections-per-address = 10,
                      write-buffer-high = 64KiB, write-stall-timeout = 10s }
                """));
        List<Seen> seen = new CopyOnWriteArrayList<>();
        SipCapture capture = (message, transport, source, destination) ->
                seen.add(new Seen(new String(message, StandardCharsets.US_ASCII), transport, source, destination));
        NettyListeners listeners = new NettyListeners(settings, WebSocketSettings.OFF, security, EdgeGuard.of(security),
                new Edge(settings, new Branches("a-test-secret-of-enough-length")),
                (envelope, message) -> { }, new EdgeCounters(), DnsSettings.defaults(), "00000001",
                id -> Optional.empty(), Optional.of(capture));
        listeners.bind(testKit.<TransportCommand>createTestProbe().ref());
        try {
            InetSocketAddress server = listeners.tlsAddress().orElseThrow();
            String options = "OPTIONS sip:127.0.0.1:5060 SIP/2.0\r\n"
                    + "Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bKtls1\r\nMax-Forwards: 70\r\n"
                    + "From: <sip:ops@example.com>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: tls-capture-1\r\n"
                    + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            try (SSLSocket client = (SSLSocket) trustingAll().getSocketFactory().createSocket(
                    server.getAddress(), server.getPort())) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write(options.getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                String answer = readHeaders(client.getInputStream());
                assertTrue(answer.startsWith("SIP/2.0 200 OK\r\n"), answer);

                InetSocketAddress phone = (InetSocketAddress) client.getLocalSocketAddress();
                assertEquals(List.of(new Seen(options, SipTransport.TLS, phone, server),
                        new Seen(answer, SipTransport.TLS, server, phone)), seen);
            }
        } finally {
            listeners.close();
        }
    }

    private static String readHeaders(InputStream in) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (!got.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed after " + got);
            }
            got.write(b);
        }
        return got.toString(StandardCharsets.US_ASCII); // the 200 has no body: Content-Length 0
    }

    private static SSLContext trustingAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // the test's own self-signed certificate: what is tested is the capture, not the chain
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }
}
