package org.switchboard.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.Branches;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.framing.FramingLimits;
import org.switchboard.transport.api.Peer;

/** The stateless answers of the edge (docs/architecture.md, "The path of a message" step 1-2), on bytes. */
class EdgeTest {
    private final Branches branches = new Branches("secret");
    private final Edge edge = new Edge(new TransportSettings("127.0.0.1", 5060, "127.0.0.1", 5060,
            FramingLimits.DEFAULT, 1 << 20, 65535), branches);
    private final Peer phone = new Peer("127.0.0.1", 5070);

    @Test
    void malformedRequestWithUsableViaGets400NamingTheFault() {
        String r = reply(request("INVITE sip:bob@example.com SIP/2.0", "CSeq: 1 BYE"));
        assertTrue(r.startsWith("SIP/2.0 400 Bad Request - CSeq method matching the request method INVITE at byte"), r);
        assertTrue(r.contains("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKabc"), r);
    }

    @Test
    void junkWithoutViaIsDroppedNotAnswered() {
        assertFalse(assertInstanceOf(EdgeDecision.Drop.class, inspect("hello world\r\n\r\n")).foreignResponse());
        assertInstanceOf(EdgeDecision.Drop.class, inspect("INVITE sip:x@y SIP/2.0\r\nFrom: x\r\n\r\n"));
    }

    @Test
    void versionSchemeAndMaxForwards() {
        assertTrue(reply(request("OPTIONS sip:bob@example.com SIP/3.0", "CSeq: 1 OPTIONS")).startsWith("SIP/2.0 505 "));
        assertTrue(reply(request("INVITE mailto:bob@example.com SIP/2.0", "CSeq: 1 INVITE")).startsWith("SIP/2.0 416 "));
        assertTrue(reply(request("INVITE sip:bob@example.com SIP/2.0", "CSeq: 1 INVITE", "Max-Forwards: 0"))
                .startsWith("SIP/2.0 483 "));
        assertInstanceOf(EdgeDecision.Drop.class, inspect(request("ACK sip:bob@example.com SIP/2.0", "CSeq: 1 ACK", "Max-Forwards: 0")));
    }

    @Test
    void optionsToTheNodeIsAnsweredOptionsToAUserIsRouted() {
        String ok = reply(request("OPTIONS sip:127.0.0.1:5060 SIP/2.0", "CSeq: 1 OPTIONS"));
        assertTrue(ok.startsWith("SIP/2.0 200 OK") && ok.contains("Allow: "), ok);
        assertInstanceOf(EdgeDecision.Route.class, inspect(request("OPTIONS sip:bob@example.com SIP/2.0", "CSeq: 1 OPTIONS")));
    }

    @Test
    void responsesAreRoutedOnlyWhenTheTopViaIsOurs() {
        String foreign = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKforeign\r\n"
                + "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        assertTrue(assertInstanceOf(EdgeDecision.Drop.class, inspect(foreign)).foreignResponse(),
                "counted apart from malformed messages");
        String ours = foreign.replace("z9hG4bKforeign", branches.derive("x", "x"));
        assertInstanceOf(EdgeDecision.Route.class, inspect(ours));
        String anotherCalls = foreign.replace("z9hG4bKforeign", branches.derive("another-call", "x"));
        assertInstanceOf(EdgeDecision.Drop.class, inspect(anotherCalls), "a branch vouches for its own call only");
    }

    @Test
    void viaIsFixedUpWithReceivedAndRport() {
        String text = request("INVITE sip:bob@example.com SIP/2.0", "CSeq: 1 INVITE")
                .replace("branch=z9hG4bKabc", "branch=z9hG4bKabc;rport");
        SipMessage m = ((EdgeDecision.Route) edge.inspect(bytes(text), 0, bytes(text).length, new Peer("192.0.2.7", 40000))).message();
        assertEquals("192.0.2.7", m.topVia().received().orElseThrow());
        assertEquals(40000, m.topVia().rport().getAsInt());
        SipMessage untouched = ((EdgeDecision.Route) inspect(request("INVITE sip:bob@example.com SIP/2.0", "CSeq: 1 INVITE"))).message();
        assertTrue(untouched.topVia().received().isEmpty(), "same host, no rport: nothing to add");
    }

    private static String request(String startLine, String cseq, String... extra) {
        StringBuilder sb = new StringBuilder(startLine).append("\r\n")
                .append("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKabc\r\n")
                .append("From: <sip:alice@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: c1\r\n")
                .append(cseq).append("\r\n");
        for (String h : extra) {
            sb.append(h).append("\r\n");
        }
        return sb.append("Content-Length: 0\r\n\r\n").toString();
    }

    private EdgeDecision inspect(String text) {
        return edge.inspect(bytes(text), 0, bytes(text).length, phone);
    }

    private String reply(String text) {
        return new String(assertInstanceOf(EdgeDecision.Reply.class, inspect(text)).response(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
