package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipRequest;

/**
 * RFC 3261 §18.1.1: an INVITE that is larger than 1300 bytes once the proxy has added its Via and Record-Route goes
 * to a phone registered over UDP over TCP instead, to the same address and port, with the proxy's Via saying TCP
 * (and its ACK follows it there); when nothing listens on TCP there it goes over UDP after all, as it was.
 */
class LargeRequestOverTcpTest {
    private static final String SDP = "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4002 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    /** Makes the INVITE as large as a rich offer (many codecs, ICE candidates) makes it: above 1300 bytes. */
    private static final List<String> PADDING = List.of("X-Padding: " + "p".repeat(1200));
    @RegisterExtension
    static final SingleNode node = SingleNode.of("large-request", List.of("big@sip.test,pw", "small@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = off",
                    // a busy test machine is not what is tested here: no 503 for a slow dispatcher
                    "switchboard.security.overload.enabled = off"));

    @Test
    void aLargeInviteGoesOverTcpToAPhoneThatListensThere() throws IOException {
        try (DialogPhone callee = new DialogPhone("big", node.address());
             DialogPhone caller = new DialogPhone("caller", node.address());
             ServerSocket tcp = new ServerSocket()) {
            assertEquals(200, callee.register().status());
            tcp.bind(new InetSocketAddress("127.0.0.1", callee.port()));
            tcp.setSoTimeout(10_000);
            DialogPhone.Sent invite = caller.invite("sip:big@sip.test", PADDING, SDP);
            try (Socket connection = tcp.accept()) {
                connection.setSoTimeout(10_000);
                SipRequest received = (SipRequest) TcpPhone.readMessage(connection.getInputStream()).orElseThrow();
                assertEquals("INVITE", received.method());
                assertTrue(received.bytes().length > 1300, "large: " + received.bytes().length);
                String via = received.headers("via").get(0);
                assertTrue(via.startsWith("SIP/2.0/TCP"), "our Via says TCP: " + via);
                busy(connection.getOutputStream(), received);
                assertEquals(486, caller.await(invite).status(), "the answer over TCP reaches the caller");
                SipRequest ack = (SipRequest) TcpPhone.readMessage(connection.getInputStream()).orElseThrow();
                assertEquals("ACK", ack.method(), "the ACK of the 486 follows its INVITE over TCP (§17.1.1.3)");
                assertTrue(ack.headers("via").get(0).startsWith("SIP/2.0/TCP"), ack.headers("via").get(0));
            }
        }
    }

    @Test
    void aLargeInviteGoesOverUdpWhenNothingListensOnTcp() {
        try (DialogPhone callee = new DialogPhone("small", node.address());
             DialogPhone caller = new DialogPhone("caller", node.address())) {
            assertEquals(200, callee.register().status());
            DialogPhone.Sent invite = caller.invite("sip:small@sip.test", PADDING, SDP);
            SipRequest received = callee.awaitRequest("INVITE");
            assertTrue(received.bytes().length > 1300, "large: " + received.bytes().length);
            String via = received.headers("via").get(0);
            assertTrue(via.startsWith("SIP/2.0/UDP"), "sent as it was, over UDP: " + via);
            callee.answer(received, 486, "Busy Here");
            assertEquals(486, caller.await(invite).status());
        }
    }

    private static void busy(OutputStream out, SipMessage request) throws IOException {
        List<String> h = new ArrayList<>();
        request.headers("via").forEach(v -> h.add("Via: " + v));
        h.add("From: " + request.header("from").orElseThrow());
        h.add("To: " + request.header("to").orElseThrow() + ";tag=busy1");
        h.add("Call-ID: " + request.callId());
        h.add("CSeq: " + request.header("cseq").orElseThrow());
        StringBuilder sb = new StringBuilder("SIP/2.0 486 Busy Here\r\n");
        h.forEach(line -> sb.append(line).append("\r\n"));
        sb.append("Content-Length: 0\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
