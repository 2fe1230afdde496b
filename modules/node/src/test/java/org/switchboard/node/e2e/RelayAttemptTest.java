package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipRequest;

/**
 * Toll fraud through a proxy: a stranger at 127.0.0.2 tries to make the node relay requests to the carrier's
 * PSTN gateway (127.0.0.5, which trusts the node) with invented To tags, with and without a Route naming the
 * node, with the Record-Route of a real call copied onto another Call-ID, and with a forged 200 OK whose second
 * Via names the gateway. The gateway must receive nothing, the stranger gets 481 (or 403/407 out of a dialog),
 * and nothing is persisted for the forged call.
 */
class RelayAttemptTest {
    private static final String GATEWAY_HOST = "127.0.0.5";
    private static final String STRANGER_HOST = "127.0.0.2";
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";
    private static TestNode node;
    private static DatagramSocket gateway;
    private static final List<String> atGateway = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws IOException {
        gateway = new DatagramSocket(new InetSocketAddress(GATEWAY_HOST, 0));
        Thread listener = new Thread(() -> {
            byte[] buf = new byte[65535];
            while (!gateway.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    gateway.receive(p);
                    atGateway.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
                } catch (IOException closed) {
                    return;
                }
            }
        }, "gateway");
        listener.setDaemon(true);
        listener.start();
        // the phones at 127.0.0.1 stand behind a trusted SBC; the stranger is not trusted
        node = TestNode.start("relay", List.of("alice@sip.test,pw", "bob@sip.test,pw"), List.of(
                "switchboard.proxy.trusted-peers = [\"127.0.0.1/32\"]",
                "switchboard.proxy.routes { \"*\" = \"sip:" + GATEWAY_HOST + ":" + gateway.getLocalPort() + "\" }"));
    }

    @AfterAll
    static void stop() {
        node.process().close();
        gateway.close();
    }

    @Test
    void noShapeOfRequestIsRelayedToTheGatewayAndAForgedAnswerLeavesNoTrace() throws Exception {
        RealCall real = aRealCall();
        String copiedRoute = real.recordRoute();
        String gw = "sip:+19005550100@" + GATEWAY_HOST + ":" + gateway.getLocalPort();
        List<String> routes = List.of("", "Route: <sip:" + node.address() + ";lr>\r\n",
                "Route: " + copiedRoute + "\r\n",
                "Route: <sip:" + GATEWAY_HOST + ":" + gateway.getLocalPort() + ";lr>\r\n");
        try (DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(STRANGER_HOST, 0))) {
            stranger.setSoTimeout(3000);
            for (String method : List.of("BYE", "INVITE", "MESSAGE")) {
                for (String route : routes) {
                    String answer = exchange(stranger, request(stranger, method, gw, Optional.of(tag()), route));
                    assertTrue(answer.startsWith("SIP/2.0 481 "), method + " with " + route + " got: " + answer);
                }
            }
            // out of a dialog, a stranger is no caller of ours: refused, never forwarded
            String fromOurUser = exchange(stranger, request(stranger, "INVITE", gw, Optional.empty(), ""));
            assertTrue(fromOurUser.startsWith("SIP/2.0 407 "), fromOurUser);
            String fromAnywhere = exchange(stranger, request(stranger, "INVITE", gw, Optional.empty(), "")
                    .replace("<sip:alice@sip.test>", "<sip:mallory@evil.example>"));
            assertTrue(fromAnywhere.startsWith("SIP/2.0 403 "), fromAnywhere);

            // a 200 OK for a call that never was, with our Via copied from the real call and a second Via naming the
            // gateway
            String forgedCallId = "forged-" + UUID.randomUUID();
            send(stranger, "SIP/2.0 200 OK\r\n"
                    + "Via: " + real.ourVia() + "\r\n"
                    + "Via: SIP/2.0/UDP " + GATEWAY_HOST + ":" + gateway.getLocalPort() + ";branch=z9hG4bKgw\r\n"
                    + "From: <sip:alice@sip.test>;tag=a1\r\nTo: <" + gw + ">;tag=b1\r\nCall-ID: " + forgedCallId + "\r\n"
                    + "CSeq: 1 INVITE\r\nContact: <" + gw + ">\r\nContent-Length: 0\r\n\r\n");
            // the node answers one more request only after it has handled the forged response (one socket, in order)
            String after = exchange(stranger, request(stranger, "BYE", gw, Optional.of(tag()), ""));
            assertTrue(after.startsWith("SIP/2.0 481 "), after);

            assertEquals(List.of(), atGateway, "the gateway received something");
            node.process().stop(Duration.ofSeconds(30)); // the journal file is ours to read once the node is gone
            assertEquals(0, journalRows(forgedCallId), "events persisted for the forged call");
            assertTrue(journalRows(real.callId()) >= 2, "the real call is in the journal: answered and ended");
        }
    }

    /** A call that really took place, and what a stranger could sniff of it. */
    private record RealCall(String callId, String recordRoute, String ourVia) {
    }

    /** A real call alice -> bob through the node: the Record-Route and the node's Via that bob sees. */
    private static RealCall aRealCall() {
        try (DialogPhone alice = new DialogPhone("alice", node.address());
             DialogPhone bob = new DialogPhone("bob", node.address())) {
            assertEquals(200, bob.register().status());
            DialogPhone.Sent invite = alice.invite("sip:bob@sip.test", List.of(), SDP);
            SipRequest atBob = bob.awaitRequest("INVITE");
            bob.answer(atBob, 200, "OK", List.of(), "application/sdp", SDP);
            assertEquals(200, alice.await(invite).status());
            RealCall real = new RealCall(invite.callId(), atBob.header("record-route").orElseThrow(),
                    atBob.headers("via").get(0));
            DialogPhone.Sent bye = alice.request(invite.callId(), "BYE", List.of(), null, null);
            bob.answer(bob.awaitRequest("BYE"), 200, "OK");
            assertEquals(200, alice.await(bye).status());
            return real;
        }
    }

    private static String request(DatagramSocket from, String method, String target, Optional<String> toTag, String route) {
        String body = method.equals("MESSAGE") ? "free calls" : method.equals("INVITE") ? SDP : "";
        String type = method.equals("MESSAGE") ? "Content-Type: text/plain\r\n"
                : method.equals("INVITE") ? "Content-Type: application/sdp\r\n" : "";
        return method + " " + target + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + STRANGER_HOST + ":" + from.getLocalPort() + ";branch=z9hG4bK" + tag() + "\r\n"
                + route + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@sip.test>;tag=" + tag() + "\r\n"
                + "To: <" + target + ">" + toTag.map(t -> ";tag=" + t).orElse("") + "\r\n"
                + "Call-ID: " + UUID.randomUUID() + "\r\nCSeq: 2 " + method + "\r\n"
                + "Contact: <sip:mallory@" + STRANGER_HOST + ":" + from.getLocalPort() + ">\r\n"
                + type + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** Sends a request and returns its first final response (100 Trying skipped). */
    private static String exchange(DatagramSocket socket, String request) throws IOException {
        send(socket, request);
        byte[] buf = new byte[65535];
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                break;
            }
            String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            if (!text.startsWith("SIP/2.0 100 ")) {
                return text;
            }
        }
        throw new AssertionError("no answer to:\n" + request);
    }

    private static void send(DatagramSocket socket, String text) {
        String[] hostPort = node.address().split(":");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            socket.send(new DatagramPacket(bytes, bytes.length,
                    new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long journalRows(String callId) throws SQLException {
        String url = "jdbc:h2:file:" + node.work().resolve("data").resolve("journal");
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM \"event_journal\" WHERE \"persistence_id\" LIKE ?")) {
            st.setString(1, "%" + callId + "%");
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String tag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong());
    }
}
