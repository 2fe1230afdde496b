package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 * clear text: this node has no TLS yet, so the INVITE is not sent at all — no TCP connection is even opened to
 * the device's address — and the caller gets 480 at once instead of a call whose SDP travelled in the clear.
 */
class NoDowngradeTest {
    private static TestNode node;
    private static ServerSocket device;
    private static final List<String> connections = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws IOException {
        device = new ServerSocket();
        device.bind(new InetSocketAddress("127.0.0.3", 0));
        Thread acceptor = new Thread(() -> {
            while (!device.isClosed()) {
                try (Socket s = device.accept()) {
                    connections.add(s.getRemoteSocketAddress().toString());
                } catch (IOException closed) {
                    return;
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
            assertEquals(480, answer.status(), "the call must fail, not connect");
            assertTrue(System.nanoTime() - sent < 2_000_000_000L, "at once, not when Timer B runs out");
        }
        assertEquals(List.of(), connections, "a connection was opened to the TLS-only device");
        assertTrue(node.process().output().contains("never in clear text"), node.process().tail());
    }
}
