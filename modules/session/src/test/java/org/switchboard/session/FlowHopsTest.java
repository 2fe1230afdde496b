package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.SipUri;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

/** In-dialog requests to a party on a flow go over it; a fork whose flow failed reads as 480 to the caller. */
class FlowHopsTest {
    private static final Destination CALLEE_FLOW = new Destination(SipTransport.TCP, new Peer("192.0.2.7", 40312),
            Optional.of("0a1b2c3d.a01"));
    private static final Destination CALLER_FLOW = new Destination(SipTransport.TCP, new Peer("192.0.2.9", 40999),
            Optional.of("0a1b2c3e.a02"));
    private static final String CALLEE_CONTACT = "sip:bob@192.0.2.7:40312;transport=tcp";
    private static final String CALLER_CONTACT = "sip:alice@192.0.2.9:40999;transport=tcp";

    @Test
    void theCalleesContactIsReachedOverTheFlowItsForkWentOn() {
        Destination hop = FlowHops.callee(CALLEE_CONTACT, Optional.of(CALLEE_FLOW));
        CallState state = answered(hop, CALLER_FLOW);
        assertEquals(Optional.of(CALLEE_FLOW), FlowHops.of(state, SipUri.parse("sip:bob@192.0.2.7:40312;transport=TCP")));
        assertEquals(Optional.of(CALLER_FLOW), FlowHops.of(state, SipUri.parse(CALLER_CONTACT)));
        assertEquals(Optional.empty(), FlowHops.of(state, SipUri.parse("sip:bob@192.0.2.7:5060")), "another target");
        assertEquals(Optional.empty(), FlowHops.of(new CallState.Setup(), SipUri.parse(CALLEE_CONTACT)));
    }

    @Test
    void aCalleeReachedWithoutAFlowIsReachedAtItsContact() {
        Destination udp = Destination.udp("192.0.2.7", 5060);
        assertEquals(new Destination(SipTransport.TCP, new Peer("192.0.2.7", 40312), Optional.empty()),
                FlowHops.callee(CALLEE_CONTACT, Optional.of(udp)));
        CallState state = answered(FlowHops.callee(CALLEE_CONTACT, Optional.empty()),
                new Destination(SipTransport.UDP, new Peer("192.0.2.9", 5070), Optional.empty()));
        assertEquals(Optional.empty(), FlowHops.of(state, SipUri.parse(CALLEE_CONTACT)));
        assertEquals(Optional.empty(), FlowHops.of(state, SipUri.parse(CALLER_CONTACT)));
    }

    @Test
    void aFlowFailedIsRelayedAsTemporarilyUnavailable() {
        SipResponse flowFailed = (SipResponse) ((ParseResult.Parsed) SipParser.parse(("SIP/2.0 430 Flow Failed\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.9:5070;branch=z9hG4bKa\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>;tag=2\r\n"
                + "Call-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII)))
                .message();
        assertEquals(480, BestResponse.relayedStatus(flowFailed));
        assertEquals("Temporarily Unavailable", BestResponse.reasonOf(480));
        assertEquals(Optional.of(flowFailed), BestResponse.choose(List.of(flowFailed)));
    }

    private static CallState answered(Destination calleeHop, Destination callerHop) {
        Dialog d = new Dialog("c", "<sip:alice@x>;tag=1", "<sip:bob@x>;tag=2", CALLER_CONTACT, callerHop,
                CALLEE_CONTACT, calleeHop, 1, 0, 0, new Peer("10.0.0.1", 5060));
        return new CallState.Answered(d, 0, 0, false);
    }
}
