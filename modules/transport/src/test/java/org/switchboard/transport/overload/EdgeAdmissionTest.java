package org.switchboard.transport.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.Branches;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.transport.HandClock;

class EdgeAdmissionTest {
    private final HandClock clock = new HandClock(Instant.ofEpochMilli(1_000_000));
    private final Overload overload = OverloadTest.measuring(new Overload(Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ZERO, 5, clock));
    private final Branches branches = new Branches("test-secret");
    private final EdgeAdmission admission = new EdgeAdmission(overload, branches);

    @Test
    void newWorkIsRefusedWith503AndRetryAfterOnlyWhileOverloaded() {
        assertTrue(admission.refusal(invite("call-1", "", 1)).isEmpty(), "a node that keeps up takes new calls");
        overloaded();
        SipResponse refused = parse(admission.refusal(invite("call-2", "", 1)).orElseThrow());
        assertEquals(503, refused.status());
        assertEquals("5", refused.header("retry-after").orElseThrow());
        assertTrue(refused.to().tag().isPresent(), "a final response carries a To tag");
        assertTrue(admission.refusal(register("reg-1")).isPresent(), "a REGISTER is new work too");
    }

    @Test
    void theAckOfARefusalEndsAtTheEdgeAndNoOtherRequestDoes() {
        overloaded();
        SipResponse refused = parse(admission.refusal(invite("call-2", "", 1)).orElseThrow());
        String tag = refused.to().tag().orElseThrow();
        assertTrue(admission.endsHere(ack("call-2", tag)), "the ACK of our 503 wakes no entity");
        assertFalse(admission.endsHere(ack("call-2", "3517U9")), "the ACK of a callee's answer goes on");
        assertFalse(admission.endsHere(ack("call-3", tag)), "another call's ACK with a copied tag goes on");
        assertFalse(admission.endsHere(request("BYE sip:bob@127.0.0.3 SIP/2.0", "call-2", tag, "2 BYE")),
                "only an ACK ends here");
    }

    @Test
    void workAlreadyTakenGoesOnWhileOverloaded() {
        admission.refusal(invite("call-1", "", 1));
        admission.refusal(register("reg-1"));
        overloaded();
        assertTrue(admission.refusal(invite("call-1", "", 1)).isEmpty(), "a retransmission of a taken INVITE");
        assertTrue(admission.refusal(invite("call-1", "", 2)).isEmpty(), "the retry with credentials after a 407");
        assertTrue(admission.refusal(register("reg-1")).isEmpty(), "a REGISTER's retransmission or refresh");
        assertTrue(admission.refusal(invite("call-9", "tag-b", 3)).isEmpty(), "an in-dialog re-INVITE");
        assertTrue(admission.refusal(bye("call-9")).isEmpty(), "a BYE");
    }

    @Test
    void aTakenCallIdIsForgottenAfterTheMemoryAndARefusedOneIsNotRemembered() {
        admission.refusal(invite("call-1", "", 1));
        overloaded();
        assertTrue(admission.refusal(invite("call-2", "", 1)).isPresent());
        clock.advance(Overload.TAKEN_MEMORY.multipliedBy(2));
        overloaded();
        assertTrue(admission.refusal(invite("call-1", "", 1)).isPresent(), "forgotten two memories later");
        keepingUp();
        assertTrue(admission.refusal(invite("call-2", "", 1)).isEmpty(), "taken once the node keeps up again");
        overloaded();
        assertTrue(admission.refusal(invite("call-2", "", 1)).isEmpty(), "and from then on remembered");
    }

    @Test
    void nothingIsRefusedWhenSheddingIsOff() {
        EdgeAdmission off = new EdgeAdmission(Overload.NEVER, branches);
        Overload.NEVER.dispatcherLag(ms(60_000));
        assertTrue(off.refusal(invite("call-1", "", 1)).isEmpty());
        assertTrue(off.refusal(register("reg-1")).isEmpty());
    }

    private static SipRequest invite(String callId, String toTag, int cseq) {
        return request("INVITE sip:bob@sip.test SIP/2.0", callId, toTag, cseq + " INVITE");
    }

    private static SipRequest ack(String callId, String toTag) {
        return request("ACK sip:bob@sip.test SIP/2.0", callId, toTag, "1 ACK");
    }

    private static SipRequest register(String callId) {
        return request("REGISTER sip:sip.test SIP/2.0", callId, "", "1 REGISTER");
    }

    private static SipRequest bye(String callId) {
        return request("BYE sip:bob@127.0.0.3 SIP/2.0", callId, "tag-b", "4 BYE");
    }

    private static SipRequest request(String line, String callId, String toTag, String cseq) {
        String text = line + "\r\nVia: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK" + callId + cseq.charAt(0) + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@sip.test>;tag=a\r\nTo: <sip:bob@sip.test>"
                + (toTag.isEmpty() ? "" : ";tag=" + toTag) + "\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq
                + "\r\nContent-Length: 0\r\n\r\n";
        return (SipRequest) parse(text.getBytes(StandardCharsets.UTF_8), SipRequest.class);
    }

    private static SipResponse parse(byte[] bytes) {
        return (SipResponse) parse(bytes, SipResponse.class);
    }

    private static Object parse(byte[] bytes, Class<?> kind) {
        Object message = ((ParseResult.Parsed) SipParser.parse(bytes)).message();
        assertTrue(kind.isInstance(message), () -> new String(bytes, StandardCharsets.UTF_8));
        return message;
    }

    /** Every probe tick late for 2 s: the share of new work taken falls to nothing. */
    private void overloaded() {
        for (int tick = 0; tick < 20; tick++) {
            overload.dispatcherLag(ms(800));
        }
    }

    /** Every tick on time for 2 s: all new work is taken again. */
    private void keepingUp() {
        for (int tick = 0; tick < 20; tick++) {
            overload.dispatcherLag(ms(1));
        }
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
