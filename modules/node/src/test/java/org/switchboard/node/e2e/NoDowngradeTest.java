package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipResponse;

/**
 * A callee that asked for encryption (a {@code sips:} contact, or {@code transport=tls}) is never written to in
 * clear text: the node opens TLS to it, and when no TLS server answers there (this device reads the first bytes
 * and hangs up), the handshake fails, the fork ends with 503 at once (RFC 3261 §8.1.3.1), relayed to the caller as 500 (§16.7) — never a retry over TCP
 * or UDP, never a call whose SDP travelled in the clear.
 */
class NoDowngradeTest {
    private static TestNode node;
    private static ServerSocket device;
    /** The first bytes each connection to the device carried. */
    private static final List<byte[]> connections = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws IOException {
        device = new ServerSocket();
        device.bind(new InetSocketAddress("127.0.0.3", 0));
        Thread acceptor = new Thread(() -> {
            while (!device.isClosed()) {
                try (Socket s = device.accept()) {
                    s.setSoTimeout(3000);
                    byte[] buf = new byte[2048];
                    int n = s.getInputStream().read(buf);
                    connections.add(java.util.Arrays.copyOf(buf, Math.max(0, n)));
                } catch (IOException closed) {
                    if (device.isClosed()) {
                        return;
                    }
                }
            }
        }, "tls-device");
        acceptor.setDaemon(true);
        acceptor.start();
        node = TestNode.start("no-downgrade", List.of("alice@sip.test,pw", "bob@sip.test,pw"),
                List.of("switchboard.proxy.authenticate-callers = off"));
    }

    @AfterAll
    static void stop() throws IOException {
        node.process().close();
        device.close();
    }

    @Test
    void aCalleeWhoseContactNeedsTlsIsNeverSentTheInviteInClearText() {
        int port = Integer.parseInt(node.address().split(":")[1]);
        String at = "127.0.0.3:" + device.getLocalPort();
        try (UdpPhone bob = new UdpPhone(port)) {
            assertEquals(200, bob.registerWithAuth("bob", "bob", "pw",
                    Optional.of("<sips:bob@" + at + ">, <sip:bob@" + at + ";transport=tls>"), Optional.of(600)).status());
        }
        try (DialogPhone alice = new DialogPhone("alice", node.address())) {
            DialogPhone.Sent invite = alice.invite("sip:bob@sip.test", List.of(),
                    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                            + "m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\r\n");
            long sent = System.nanoTime();
            SipResponse answer = alice.await(invite);
            // each fork ends with the transport's 503; a proxy relays a chosen 503 as 500 (RFC 3261 §16.7 step 6)
            assertEquals(500, answer.status(), "the call must fail with the transport error, not connect");
            assertTrue(System.nanoTime() - sent < 3_000_000_000L, "at once, not when Timer B runs out");
        }
        Await.until("the device to see the node's connections", Duration.ofSeconds(5), () -> !connections.isEmpty(),
                node.process()::tail);
        synchronized (connections) {
            for (byte[] first : connections) {
                assertTrue(first.length > 0 && first[0] == 0x16, "each connection opens with a TLS handshake record");
                String text = new String(first, StandardCharsets.ISO_8859_1);
                assertFalse(text.contains("INVITE") || text.contains("SIP/2.0"), "SIP in clear text: " + text);
            }
        }
        assertTrue(node.process().output().contains("TLS handshake failed"), node.process().tail());
    }
}
