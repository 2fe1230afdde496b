package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/**
 * Call forwarding as provisioned in the subscribers file, between real phones through one node: the call goes to
 * the account's target instead, and the INVITE that reaches the target says whom it was meant for and why with a
 * Diversion header (RFC 5806: {@code reason=unconditional|user-busy|no-answer|unavailable}); the caller sees only
 * the target's answer. Every AOR is used by one test only.
 */
class CallForwardingTest {
    @RegisterExtension
    static final SingleNode node = SingleNode.of("forwarding", List.of(
            "always@sip.test,pw,unconditional=sip:fwd-always@sip.test", "fwd-always@sip.test,pw",
            "busyhere@sip.test,pw,busy=sip:fwd-busy@sip.test", "fwd-busy@sip.test,pw",
            "busyeverywhere@sip.test,pw,busy=sip:fwd-everywhere@sip.test", "fwd-everywhere@sip.test,pw",
            "slow@sip.test,pw,no-answer=sip:fwd-slow@sip.test/2", "fwd-slow@sip.test,pw",
            "away@sip.test,pw,unavailable=sip:fwd-away@sip.test", "fwd-away@sip.test,pw",
            "offline@sip.test,pw,unavailable=sip:fwd-offline@sip.test", "fwd-offline@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = off"));

    @Test
    void unconditionalForwardingSkipsTheRegisteredDevice() {
        DialogPhone device = forwarded("always", "fwd-always", "unconditional", (phone, caller, invite, target) -> {
        });
        assertFalse(device.hasReceived("INVITE"), "the forwarding account's own device never rings");
    }

    @Test
    void aBusyDeviceForwardsWithReasonUserBusy() {
        forwarded("busyhere", "fwd-busy", "user-busy", (device, caller, invite, target) -> {
            SipRequest atDevice = device.awaitRequest("INVITE");
            device.answer(atDevice, 486, "Busy Here");
            device.awaitRequest("ACK");
        });
    }

    /**
     * 600 Busy Everywhere is a busy callee too (RFC 3261 §21.6.1): the busy rule forwards it like a 486. Known bug on
     * main: the 6xx is relayed to the caller before the busy rule is asked (Call.branchFinal).
     */
    @Test
    void busyEverywhereForwardsWithReasonUserBusy() {
        forwarded("busyeverywhere", "fwd-everywhere", "user-busy", (device, caller, invite, target) -> {
            device.answer(device.awaitRequest("INVITE"), 600, "Busy Everywhere");
            Await.until("the forwarding target's INVITE, or the caller's final response", Duration.ofSeconds(10),
                    () -> target.hasReceived("INVITE") || invite.response().isDone(), () -> "");
            assertTrue(target.hasReceived("INVITE"), "a 600 with a busy rule is forwarded, yet the caller got "
                    + invite.response().getNow(null));
        });
    }

    @Test
    void aDeviceThatRingsOutForwardsWithReasonNoAnswerAfterItsRingTime() {
        forwarded("slow", "fwd-slow", "no-answer", (device, caller, invite, target) -> {
            SipRequest atDevice = device.awaitRequest("INVITE");
            device.answer(atDevice, 180, "Ringing");
            caller.awaitProvisional(invite, 180);
            // the ring time (2 s) runs out: the device is cancelled, the call goes on to the target
            SipRequest cancel = device.awaitRequest("CANCEL");
            device.answer(cancel, 200, "OK");
            device.answer(atDevice, 487, "Request Terminated");
            device.awaitRequest("ACK");
        });
    }

    @Test
    void anUnregisteredCalleeForwardsWithReasonUnavailable() {
        try (DialogPhone caller = new DialogPhone("caller", node.address()); DialogPhone target = registered("fwd-away")) {
            DialogPhone.Sent invite = caller.invite("sip:away@sip.test", List.of(), sdp("caller"));
            answeredByTarget(caller, invite, target, "away", "unavailable");
        }
    }

    @Test
    void aDeviceAnswering480ForwardsWithReasonUnavailable() {
        forwarded("offline", "fwd-offline", "unavailable", (device, caller, invite, target) ->
                device.answer(device.awaitRequest("INVITE"), 480, "Temporarily Unavailable"));
    }

    /** What the called account's own device does with the caller's INVITE before the call is forwarded. */
    @FunctionalInterface
    private interface AtDevice {
        void handle(DialogPhone device, DialogPhone caller, DialogPhone.Sent invite, DialogPhone target);
    }

    /**
     * The caller calls {@code aor}, whose registered device does {@code atDevice}; then the call goes on to the
     * registered {@code target}, diverted with {@code reason} ({@link #answeredByTarget}). Returns the device (closed),
     * for what it received.
     */
    private static DialogPhone forwarded(String aor, String target, String reason, AtDevice atDevice) {
        try (DialogPhone caller = new DialogPhone("caller", node.address()); DialogPhone device = registered(aor);
             DialogPhone forwardedTo = registered(target)) {
            DialogPhone.Sent invite = caller.invite("sip:" + aor + "@sip.test", List.of(), sdp("caller"));
            atDevice.handle(device, caller, invite, forwardedTo);
            answeredByTarget(caller, invite, forwardedTo, aor, reason);
            return device;
        }
    }

    /**
     * The target receives the caller's INVITE with a Diversion naming the AOR called and the reason, answers it, and
     * the caller gets that answer (not the diverted device's failure); the call then ends with a BYE.
     */
    private static void answeredByTarget(DialogPhone caller, DialogPhone.Sent invite, DialogPhone target,
                                         String divertedFrom, String reason) {
        SipRequest atTarget = target.awaitRequest("INVITE");
        assertEquals(invite.callId(), atTarget.callId(), "the caller's call reaches the target\n" + atTarget);
        List<String> diversions = atTarget.headers("diversion");
        assertEquals(1, diversions.size(), "one Diversion header\n" + atTarget);
        NameAddress diversion = NameAddress.parse(diversions.get(0));
        assertEquals("sip:" + divertedFrom + "@sip.test", diversion.uri().toString(), "diverted from\n" + atTarget);
        assertEquals(java.util.Optional.of(reason), diversion.params().get("reason"), "the reason\n" + atTarget);

        target.answer(atTarget, 200, "OK", List.of(), "application/sdp", sdp(target.user()));
        SipResponse ok = caller.await(invite);
        assertEquals(200, ok.status(), "the caller gets the target's answer");
        assertEquals(target.localTag(invite.callId()), ok.to().tag().orElseThrow(), "the answer is the target's");
        target.awaitRequest("ACK");

        DialogPhone.Sent bye = caller.request(invite.callId(), "BYE", List.of(), null, null);
        target.answer(target.awaitRequest("BYE"), 200, "OK");
        assertEquals(200, caller.await(bye).status());
    }

    private static DialogPhone registered(String user) {
        DialogPhone phone = new DialogPhone(user, node.address());
        assertEquals(200, phone.register().status(), user + " registers");
        return phone;
    }

    private static String sdp(String user) {
        return "v=0\r\no=" + user + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
    }
}
