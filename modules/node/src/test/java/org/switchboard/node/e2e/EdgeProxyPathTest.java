package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.testkit.DigestAnswers;

/**
 * An edge proxy in front of the node (RFC 3327): it relays a phone's REGISTER with a Path naming itself, and
 * the node reaches the phone through that Path — the INVITE goes to the edge proxy with the Path as its Route,
 * never straight to the phone's Contact. The 200 names the configured Service-Route (RFC 3608).
 */
class EdgeProxyPathTest {
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";

    @RegisterExtension
    static final SingleNode node = SingleNode.of("edge-path", List.of("alice@sip.test,pw", "bob@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = off",
                    "switchboard.registrar.service-route = [\"sip:core.sip.test;lr\"]"));

    @Test
    void aPhoneRegisteredThroughAnEdgeProxyIsCalledThroughIt() throws IOException {
        try (DatagramSocket edge = new DatagramSocket(new InetSocketAddress("127.0.0.8", 0));
             DialogPhone alice = new DialogPhone("alice", node.address())) {
            edge.setSoTimeout(10_000);
            String path = "<sip:127.0.0.8:" + edge.getLocalPort() + ";lr>";
            SipResponse challenge = (SipResponse) exchange(edge, register(edge, 1, path, ""));
            assertEquals(401, challenge.status());
            SipResponse ok = (SipResponse) exchange(edge, register(edge, 2, path,
                    "Authorization: " + authorization(challenge) + "\r\n"));
            assertEquals(200, ok.status());
            assertEquals(List.of(path), ok.headers("path"));
            assertEquals(List.of("<sip:core.sip.test;lr>"), ok.headers("service-route"));

            alice.invite("sip:bob@sip.test", List.of(), SDP);
            SipMessage atEdge = receive(edge);
            SipRequest invite = (SipRequest) atEdge;
            assertEquals("INVITE", invite.method());
            assertEquals("sip:bob@10.9.8.7:5060", invite.requestUriText(), "the Contact stays the Request-URI");
            assertEquals(List.of(path), invite.headers("route"), "the Path, as the Route to reach the phone");
        }
    }

    private static String register(DatagramSocket edge, int cseq, String path, String extra) {
        return "REGISTER sip:sip.test SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.8:" + edge.getLocalPort() + ";branch=z9hG4bKedge" + cseq + "\r\n"
                + "Via: SIP/2.0/UDP 10.9.8.7:5060;branch=z9hG4bKphone" + cseq + "\r\n"
                + "Max-Forwards: 69\r\nFrom: <sip:bob@sip.test>;tag=e1\r\nTo: <sip:bob@sip.test>\r\n"
                + "Call-ID: edge-path-register\r\nCSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:bob@10.9.8.7:5060>\r\nExpires: 600\r\nSupported: path\r\nPath: " + path + "\r\n"
                + extra + "Content-Length: 0\r\n\r\n";
    }

    private static String authorization(SipResponse challenge) {
        return DigestAnswers.answer(challenge.header("www-authenticate").orElseThrow(), "bob", "pw", "REGISTER",
                "sip:sip.test", 1);
    }

    private static SipMessage exchange(DatagramSocket socket, String request) throws IOException {
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        String address = node.address();
        int colon = address.lastIndexOf(':');
        socket.send(new DatagramPacket(bytes, bytes.length,
                new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))));
        return receive(socket);
    }

    private static SipMessage receive(DatagramSocket socket) throws IOException {
        while (true) {
            DatagramPacket in = new DatagramPacket(new byte[65535], 65535);
            socket.receive(in);
            if (SipParser.parse(in.getData(), 0, in.getLength()) instanceof ParseResult.Parsed p
                    && !(p.message() instanceof SipResponse r && r.status() < 200)) {
                return p.message();
            }
        }
    }
}
