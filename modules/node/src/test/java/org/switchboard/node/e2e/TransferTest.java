package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/**
 * Call transfer through one node with three real phones: blind (RFC 3515 REFER, RFC 3892 Referred-By) and
 * attended (RFC 3891 Replaces). The transferee handles two calls at once, so the phones are {@link DialogPhone}s.
 */
class TransferTest {
    private static final String REFERRED_BY = "<sip:alice@sip.test>";
    private static final String TRYING = "SIP/2.0 100 Trying";
    private static final String OK = "SIP/2.0 200 OK";

    @RegisterExtension
    static final SingleNode node = SingleNode.of("transfer", List.of("alice@sip.test,pw", "bob@sip.test,pw", "carol@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = off"));

    @Test
    void aBlindTransferConnectsTheTransfereeToTheTargetAndReportsBack() {
        try (DialogPhone alice = phone("alice"); DialogPhone bob = phone("bob"); DialogPhone carol = phone("carol")) {
            String call1 = call(alice, bob, List.of());

            String referTo = "<sip:carol@sip.test>";
            DialogPhone.Sent refer = alice.request(call1, "REFER",
                    List.of("Refer-To: " + referTo, "Referred-By: " + REFERRED_BY), null, null);
            SipRequest atBob = bob.awaitRequest("REFER");
            assertHeader(referTo, atBob, "refer-to");
            assertHeader(REFERRED_BY, atBob, "referred-by");
            bob.answer(atBob, 202, "Accepted");
            assertStatus(202, alice.await(refer));
            notify(bob, alice, call1, "active;expires=60", TRYING);

            String call3 = transfereeCallsTarget(bob, carol, List.of());
            notify(bob, alice, call1, "terminated;reason=noresource", OK);

            hangUp(alice, bob, call1);
            hangUp(bob, carol, call3);
        }
    }

    @Test
    void anAttendedTransferReplacesTheConsultationCall() {
        try (DialogPhone alice = phone("alice"); DialogPhone bob = phone("bob"); DialogPhone carol = phone("carol")) {
            String call1 = call(alice, bob, List.of());
            String call2 = call(alice, carol, List.of());

            String replaces = call2 + ";to-tag=" + alice.remoteTag(call2) + ";from-tag=" + alice.localTag(call2);
            String referTo = "<sip:carol@sip.test?Replaces=" + replaces.replace(";", "%3B").replace("=", "%3D") + ">";
            DialogPhone.Sent refer = alice.request(call1, "REFER",
                    List.of("Refer-To: " + referTo, "Referred-By: " + REFERRED_BY), null, null);
            SipRequest atBob = bob.awaitRequest("REFER");
            assertHeader(referTo, atBob, "refer-to");
            bob.answer(atBob, 202, "Accepted");
            assertStatus(202, alice.await(refer));

            String call3 = transfereeCallsTarget(bob, carol, List.of("Replaces: " + replaces));
            hangUp(carol, alice, call2); // the replaced call ends
            notify(bob, alice, call1, "terminated;reason=noresource", OK);

            hangUp(alice, bob, call1);
            hangUp(bob, carol, call3);
        }
    }

    private static DialogPhone phone(String user) {
        DialogPhone phone = new DialogPhone(user, node.address());
        assertStatus(200, phone.register());
        return phone;
    }

    private static String sdp(String user, int port) {
        return "v=0\r\no=" + user + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0\r\n";
    }

    /** caller INVITEs callee@sip.test, the callee answers 200 with SDP, the caller ACKs: the Call-ID. */
    private static String call(DialogPhone caller, DialogPhone callee, List<String> headers) {
        String offer = sdp("caller", 4000);
        DialogPhone.Sent invite = caller.invite("sip:" + callee.user() + "@sip.test", headers, offer);
        SipRequest atCallee = callee.awaitRequest("INVITE");
        assertEquals(invite.callId(), atCallee.callId(), "the INVITE reaching the callee\n" + atCallee);
        assertArrayEquals(offer.getBytes(StandardCharsets.UTF_8), atCallee.body(), "the SDP offer, as received:\n" + atCallee);
        assertFalse(atCallee.headers("record-route").isEmpty(), "the proxy stays in the dialog:\n" + atCallee);
        headers.forEach(h -> {
            int colon = h.indexOf(':');
            assertHeader(h.substring(colon + 1).trim(), atCallee, h.substring(0, colon).toLowerCase());
        });
        callee.answer(atCallee, 200, "OK", List.of(), "application/sdp", sdp("callee", 5000));
        assertStatus(200, caller.await(invite));
        SipRequest ack = callee.awaitRequest("ACK");
        assertEquals(invite.callId(), ack.callId(), "the ACK reaching the callee\n" + ack);
        return invite.callId();
    }

    /** The transferee's new call to carol, carrying Referred-By (and any other headers), answered and ACKed. */
    private static String transfereeCallsTarget(DialogPhone bob, DialogPhone carol, List<String> headers) {
        List<String> all = new ArrayList<>(headers);
        all.add("Referred-By: " + REFERRED_BY);
        return call(bob, carol, all);
    }

    /** The transferee's NOTIFY of the REFER subscription with a sipfrag, answered 200 by the transferor. */
    private static void notify(DialogPhone bob, DialogPhone alice, String call1, String state, String sipfrag) {
        DialogPhone.Sent notify = bob.request(call1, "NOTIFY",
                List.of("Event: refer", "Subscription-State: " + state), "message/sipfrag", sipfrag);
        SipRequest atAlice = alice.awaitRequest("NOTIFY");
        assertEquals(call1, atAlice.callId(), "the NOTIFY's dialog\n" + atAlice);
        assertHeader("refer", atAlice, "event");
        assertHeader(state, atAlice, "subscription-state");
        assertEquals(sipfrag, new String(atAlice.body(), StandardCharsets.UTF_8), "the sipfrag of\n" + atAlice);
        alice.answer(atAlice, 200, "OK");
        assertStatus(200, bob.await(notify));
    }

    /** A BYE in the dialog, received by the other side and answered 200. */
    private static void hangUp(DialogPhone from, DialogPhone to, String callId) {
        DialogPhone.Sent bye = from.request(callId, "BYE", List.of(), null, null);
        SipRequest atPeer = to.awaitRequest("BYE");
        assertEquals(callId, atPeer.callId(), "the BYE's dialog\n" + atPeer);
        to.answer(atPeer, 200, "OK");
        assertStatus(200, from.await(bye));
    }

    private static void assertStatus(int expected, SipResponse response) {
        assertEquals(expected, response.status(), "the final response:\n" + response);
    }

    private static void assertHeader(String expected, SipMessage message, String name) {
        assertEquals(Optional.of(expected), message.header(name), name + " of\n" + message);
    }
}
