package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.Branches;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.testkit.TestClock;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

/** Record-Route between a WebSocket and UDP (RFC 5658 double route), and both routes popped on the way back. */
class WebSocketRoutesTest {
    private static final String CALL_ID = "ws-call-1";
    private final SessionSettings settings = SessionSettings.open("10.0.0.1", 5060, new Branches("test-secret"),
            TestClock.manual());
    private final Peer hop = new Peer("10.0.0.1", 5060);

    @Test
    void oneRouteBetweenAlikeTransportsTwoBetweenWebSocketAndUdp() {
        assertEquals(1, settings.recordRoutes(hop, SipTransport.UDP, SipTransport.TCP, CALL_ID, "t1").size());
        assertEquals(1, settings.recordRoutes(hop, SipTransport.WS, SipTransport.WSS, CALL_ID, "t1").size());
        List<String> fromWs = settings.recordRoutes(hop, SipTransport.WS, SipTransport.UDP, CALL_ID, "t1");
        assertEquals(2, fromWs.size());
        assertTrue(fromWs.get(0).contains(";transport=ws;"), "pushed first, the caller's (WS) side: " + fromWs);
        assertFalse(fromWs.get(1).contains("transport="), "on top, the callee's (UDP) side: " + fromWs);
        List<String> toWs = settings.recordRoutes(hop, SipTransport.UDP, SipTransport.WS, CALL_ID, "t1");
        assertTrue(toWs.get(1).contains(";transport=ws;"), "on top, the WebSocket callee's side: " + toWs);
    }

    @Test
    void aByeAlongBothOfOurRoutesPopsBothAndGoesToTheTarget() {
        List<String> rr = settings.recordRoutes(hop, SipTransport.WS, SipTransport.UDP, CALL_ID, "t1");
        // the callee's route set is the Record-Route list as it saw it: top first (the UDP one), then the WS one
        String bye = "BYE sip:alice@abc.invalid;transport=ws SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKbye1\r\n"
                + "Max-Forwards: 70\r\n"
                + "Route: " + rr.get(1) + "\r\nRoute: " + rr.get(0) + "\r\n"
                + "From: <sip:bob@sip.test>;tag=t2\r\nTo: <sip:alice@sip.test>;tag=t1\r\n"
                + "Call-ID: " + CALL_ID + "\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n";
        SipRequest request = (SipRequest) ((ParseResult.Parsed) SipParser.parse(bye.getBytes(StandardCharsets.UTF_8)))
                .message();
        InDialogRouter.Decision d = new InDialogRouter(settings, CALL_ID).route(request, hop, false, Optional.empty());
        InDialogRouter.Forward f = assertInstanceOf(InDialogRouter.Forward.class, d);
        assertTrue(f.forwarded().routes().isEmpty(), "both of our routes popped: " + f.forwarded().routes());
        assertEquals(SipTransport.WS, f.downstream().transport());
        assertTrue(f.forwarded().topVia().toString().startsWith("SIP/2.0/WS "), f.forwarded().topVia().toString());
    }
}
