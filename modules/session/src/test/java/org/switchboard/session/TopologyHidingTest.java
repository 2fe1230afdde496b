package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.Branches;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.testkit.SipText;

/**
 * What a trunk sees of a hidden request, and what the caller's side gets back: the caller's Vias, Record-Routes and
 * Contact (at 192.0.2.x here) never reach the trunk, and come back exactly as they were.
 */
class TopologyHidingTest {
    private static final Branches BRANCHES = new Branches("secret-of-the-cluster");
    private static final TopologyHiding HIDING = new TopologyHiding(true, BRANCHES);
    private static final String CALL_ID = "c1@example.com";
    private static final String OUR_RR = TopologyHiding.flagged(
            "<sip:203.0.113.1:5060;lr;sb=" + BRANCHES.dialogToken(CALL_ID, "alicetag") + ">");
    private static final String OUR_VIA = "SIP/2.0/UDP 203.0.113.1:5060;branch=" + BRANCHES.derive(CALL_ID, "f1")
            + ";sb-loop=0123456789abcdef";

    /** The INVITE as the proxy forwards it before hiding: our Via and Record-Route over the caller side's. */
    private static SipRequest forwarded() {
        return (SipRequest) SipText.parse("""
                INVITE sip:+15550100@trunk.example SIP/2.0
                Via: %s
                Via: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKsbc;received=192.0.2.70
                Via: SIP/2.0/UDP 192.0.2.9:5062;branch=z9hG4bKphone;rport=5062
                Record-Route: %s
                Record-Route: <sip:192.0.2.7;lr>
                Max-Forwards: 68
                From: <sip:alice@example.com>;tag=alicetag
                To: <sip:+15550100@trunk.example>
                Call-ID: %s
                CSeq: 1 INVITE
                Contact: <sip:alice@192.0.2.9:5062;ob>;+sip.instance="<urn:uuid:1>"
                Content-Length: 0
                """.formatted(OUR_VIA, OUR_RR, CALL_ID));
    }

    /** The trunk's answer to what it received: its own Record-Route on top, our Via echoed. */
    private static SipResponse answerTo(SipRequest atTrunk, int status) {
        StringBuilder text = new StringBuilder("SIP/2.0 " + status + " X\n");
        atTrunk.headers("via").forEach(v -> text.append("Via: ").append(v).append('\n'));
        text.append("Record-Route: <sip:198.51.100.5;lr>\n");
        atTrunk.headers("record-route").forEach(rr -> text.append("Record-Route: ").append(rr).append('\n'));
        text.append("From: <sip:alice@example.com>;tag=alicetag\nTo: <sip:+15550100@trunk.example>;tag=trunktag\n")
                .append("Call-ID: ").append(CALL_ID).append("\nCSeq: 1 INVITE\nContact: <sip:gw@198.51.100.5>\n")
                .append("Content-Length: 0\n");
        return (SipResponse) SipText.parse(text.toString());
    }

    @Test
    void theTrunkSeesOurViaRecordRouteAndAddressOnly() {
        SipRequest atTrunk = HIDING.hide(forwarded());
        String text = SipText.text(atTrunk.bytes());
        assertFalse(text.contains("192.0.2."), text);
        assertEquals(1, atTrunk.vias().size(), text);
        assertTrue(atTrunk.topVia().params().has(TopologyHiding.HIDDEN), text);
        assertEquals(OUR_VIA, atTrunk.headers("via").get(0).split(";sb-th=")[0]);
        assertEquals(List.of(OUR_RR), atTrunk.headers("record-route"));
        assertEquals("203.0.113.1", atTrunk.contacts().get(0).uri().host());
        assertEquals(5060, atTrunk.contacts().get(0).uri().port().orElseThrow());
        assertEquals("sip:+15550100@trunk.example", atTrunk.requestUriText());
    }

    @Test
    void hidingIsDeterministicSoRetransmissionsAndRefreshesLookTheSame() {
        assertArrayEquals(HIDING.hide(forwarded()).bytes(), HIDING.hide(forwarded()).bytes());
    }

    @Test
    void theResponseGoesUpWithTheCallerSidesViasAndRecordRoutesRestored() {
        SipRequest original = forwarded();
        TopologyHiding.Relayed up = HIDING.up(answerTo(HIDING.hide(original), 200)).orElseThrow();
        SipResponse relayed = SipText.response(up.bytes());
        assertEquals(original.headers("via").subList(1, 3), relayed.headers("via"));
        assertEquals(List.of("<sip:198.51.100.5;lr>", OUR_RR, "<sip:192.0.2.7;lr>"), relayed.headers("record-route"));
        assertEquals("192.0.2.70", up.upstream().orElseThrow().responseHost());
        assertEquals("sip:gw@198.51.100.5", relayed.contacts().get(0).uri().toString());
    }

    @Test
    void aResponseWithoutRecordRoutesGetsNoneAdded() {
        SipRequest atTrunk = HIDING.hide(forwarded());
        StringBuilder text = new StringBuilder("SIP/2.0 486 Busy Here\n");
        atTrunk.headers("via").forEach(v -> text.append("Via: ").append(v).append('\n'));
        text.append("From: <sip:alice@example.com>;tag=alicetag\nTo: <sip:x@trunk.example>;tag=t\nCall-ID: ")
                .append(CALL_ID).append("\nCSeq: 1 INVITE\nContent-Length: 0\n");
        SipResponse relayed = SipText.response(HIDING.up((SipResponse) SipText.parse(text.toString())).orElseThrow().bytes());
        assertEquals(2, relayed.vias().size());
        assertEquals(List.of(), relayed.headers("record-route"));
    }

    @Test
    void anAlteredSealedViaIsDropped() {
        SipResponse ok = answerTo(HIDING.hide(forwarded()), 200);
        String text = SipText.text(ok.bytes());
        int at = text.indexOf(";sb-th=") + 10;
        String altered = text.substring(0, at) + (text.charAt(at) == 'A' ? 'B' : 'A') + text.substring(at + 1);
        assertEquals(Optional.empty(), HIDING.up((SipResponse) SipText.parse(altered.replace("\r\n", "\n"))));
    }

    @Test
    void theTrunksRequestToTheMaskedContactGoesToTheCallersRealOne() {
        String masked = HIDING.hide(forwarded()).contacts().get(0).uri().toString();
        SipRequest bye = bye(masked, CALL_ID);
        TopologyHiding.Restored restored = HIDING.restoreTarget(bye).orElseThrow();
        assertEquals("sip:alice@192.0.2.9:5062;ob", restored.request().requestUriText());
        assertEquals("203.0.113.1:5060", restored.outer());
        assertFalse(HIDING.towardHidden(bye), "the trunk's request goes to the caller: nothing to hide");
        // a sealed Contact is worth nothing for another call, nor under another cluster's secret
        assertEquals(Optional.empty(), HIDING.restoreTarget(bye(masked, "other@example.com")));
        assertEquals(Optional.empty(), new TopologyHiding(true, new Branches("another")).restoreTarget(bye));
    }

    @Test
    void theCallersRequestsInTheDialogAreHiddenAndTheTrunksResponsesMasked() {
        String callersBye = """
                BYE sip:gw@198.51.100.5 SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.9:5062;branch=z9hG4bKbye
                Route: %s
                Route: <sip:198.51.100.5;lr>
                From: <sip:alice@example.com>;tag=alicetag
                To: <sip:+15550100@trunk.example>;tag=trunktag
                Call-ID: %s
                CSeq: 2 BYE
                Content-Length: 0
                """.formatted(OUR_RR, CALL_ID);
        assertTrue(HIDING.towardHidden((SipRequest) SipText.parse(callersBye)));

        // the trunk's re-INVITE reaches the caller marked; the caller's 200 goes to the trunk with its Contact masked
        SipRequest reInvite = (SipRequest) SipText.parse("""
                INVITE sip:alice@192.0.2.9:5062 SIP/2.0
                Via: %s
                Via: SIP/2.0/UDP 198.51.100.5;branch=z9hG4bKre
                From: <sip:+15550100@trunk.example>;tag=trunktag
                To: <sip:alice@example.com>;tag=alicetag
                Call-ID: %s
                CSeq: 7 INVITE
                Content-Length: 0
                """.formatted(OUR_VIA, CALL_ID));
        SipRequest marked = HIDING.maskResponses(reInvite, "203.0.113.1:5060");
        StringBuilder ok = new StringBuilder("SIP/2.0 200 OK\n");
        marked.headers("via").forEach(v -> ok.append("Via: ").append(v).append('\n'));
        ok.append("From: <sip:+15550100@trunk.example>;tag=trunktag\nTo: <sip:alice@example.com>;tag=alicetag\n")
                .append("Call-ID: ").append(CALL_ID).append("\nCSeq: 7 INVITE\nContact: <sip:alice@192.0.2.9:5062>\n")
                .append("Content-Length: 0\n");
        TopologyHiding.Relayed up = HIDING.up((SipResponse) SipText.parse(ok.toString())).orElseThrow();
        String text = SipText.text(up.bytes());
        assertFalse(text.contains("192.0.2."), text);
        assertEquals("198.51.100.5", up.upstream().orElseThrow().responseHost());
        String maskedAgain = SipText.response(up.bytes()).contacts().get(0).uri().toString();
        assertEquals("sip:alice@192.0.2.9:5062",
                HIDING.restoreTarget(bye(maskedAgain, CALL_ID)).orElseThrow().request().requestUriText());
    }

    @Test
    void aCallFromATrunkIsRecognisedByTheRoutesHostAndItsCalleesRequestsAreHidden() {
        TopologyHiding withRoutes = new TopologyHiding(true, BRANCHES, List.of("sip:198.51.100.5:5060", "sip:GW.example.net"));
        assertTrue(withRoutes.fromTrunk("198.51.100.5"));
        assertTrue(withRoutes.fromTrunk("gw.example.net"));
        assertFalse(withRoutes.fromTrunk("192.0.2.9"));
        assertFalse(new TopologyHiding(false, BRANCHES, List.of("sip:198.51.100.5")).fromTrunk("198.51.100.5"));
        // the trunk (198.51.100.5) called: its tag is the dialog token's; our user's BYE goes toward it, hidden
        String route = TopologyHiding.flaggedCallerSide(
                "<sip:203.0.113.1:5060;lr;sb=" + BRANCHES.dialogToken(CALL_ID, "trunktag") + ">");
        String bye = """
                BYE sip:gw@198.51.100.5 SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.9:5062;branch=z9hG4bKbye
                Route: %s
                From: <sip:alice@example.com>;tag=alicetag
                To: <sip:+15550100@trunk.example>;tag=trunktag
                Call-ID: %s
                CSeq: 2 BYE
                Content-Length: 0
                """.formatted(route, CALL_ID);
        assertTrue(HIDING.towardHidden((SipRequest) SipText.parse(bye)));
        String fromTrunk = bye.replace("tag=alicetag", "tag=X").replace("tag=trunktag", "tag=alicetag")
                .replace("tag=X", "tag=trunktag");
        assertFalse(HIDING.towardHidden((SipRequest) SipText.parse(fromTrunk)));
    }

    @Test
    void untouchedResponsesArePoppedAsBefore() {
        SipResponse plain = answerTo(forwarded(), 180);
        TopologyHiding.Relayed up = HIDING.up(plain).orElseThrow();
        assertArrayEquals(ProxyMessages.popVia(plain), up.bytes());
        assertEquals("192.0.2.70", up.upstream().orElseThrow().responseHost());
    }

    private static SipRequest bye(String target, String callId) {
        return (SipRequest) SipText.parse("""
                BYE %s SIP/2.0
                Via: SIP/2.0/UDP 198.51.100.5;branch=z9hG4bKtrunkbye
                Route: %s
                From: <sip:+15550100@trunk.example>;tag=trunktag
                To: <sip:alice@example.com>;tag=alicetag
                Call-ID: %s
                CSeq: 1 BYE
                Content-Length: 0
                """.formatted(target, OUR_RR, callId));
    }
}
