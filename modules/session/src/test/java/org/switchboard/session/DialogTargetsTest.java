package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

/** A dialog follows a party that moves (a target refresh from a new address), and only then. */
class DialogTargetsTest {
    private static final Peer OLD = new Peer("203.0.113.7", 40123);
    private static final Peer NEW = new Peer("198.51.100.77", 51000);
    private static final Destination CALLER = new Destination(SipTransport.UDP, new Peer("127.0.0.1", 5070), Optional.empty());
    private static final Dialog DIALOG = new Dialog("c1", "<sip:alice@sip.test>;tag=a1", "<sip:bob@sip.test>;tag=b1",
            "sip:alice@127.0.0.1:5070", CALLER, "sip:bob@10.0.0.5:5060", new Destination(SipTransport.UDP, OLD,
            Optional.empty()), 1, 0, 0, new Peer("127.0.0.1", 5060));
    private static final CallState ANSWERED = new CallState.Answered(DIALOG, 0, 0, false);

    private static SipRequest fromBob(String method, String contact) {
        String text = method + " sip:alice@127.0.0.1:5070 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKx;rport\r\n"
                + "From: <sip:bob@sip.test>;tag=b1\r\nTo: <sip:alice@sip.test>;tag=a1\r\nCall-ID: c1\r\n"
                + "CSeq: 2 " + method + "\r\nContact: <" + contact + ">\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        return (SipRequest) ((ParseResult.Parsed) SipParser.parse(text.getBytes(StandardCharsets.US_ASCII))).message();
    }

    private static Envelope from(Peer source) {
        return new Envelope(new byte[0], SipTransport.UDP, source, new Peer("127.0.0.1", 5060), Optional.empty(), null);
    }

    @Test
    void aReInviteFromANewNetworkMovesTheCalleesSide() {
        Dialog moved = DialogTargets.refreshed(ANSWERED, from(NEW), fromBob("INVITE", "sip:bob@10.0.0.9:5060")).orElseThrow();
        assertEquals("sip:bob@10.0.0.9:5060", moved.calleeContact());
        assertEquals(new Destination(SipTransport.UDP, NEW, Optional.empty()), moved.calleeHop());
        assertEquals(CALLER, moved.callerHop(), "the other side stays");
        CallState after = ANSWERED.apply(new CallEvent.RemoteTargetRefreshed(moved, 1));
        SipRequest bye = fromBob("BYE", "sip:bob@10.0.0.9:5060");
        assertEquals(Optional.of(CALLER), DialogTargets.toward(after, bye), "bob's requests go to alice");
    }

    @Test
    void nothingMovesForTheSamePlaceOrANonRefresh() {
        assertTrue(DialogTargets.refreshed(ANSWERED, from(OLD), fromBob("INVITE", "sip:bob@10.0.0.5:5060")).isEmpty());
        assertTrue(DialogTargets.refreshed(ANSWERED, from(NEW), fromBob("INFO", "sip:bob@10.0.0.9:5060")).isEmpty(),
                "INFO refreshes no target (RFC 6086)");
        assertTrue(DialogTargets.refreshed(new CallState.Setup(), from(NEW), fromBob("INVITE", "sip:bob@10.0.0.9:5060"))
                .isEmpty(), "no answered dialog yet");
    }
}
