package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/**
 * The requests a call sends besides INVITE, ACK and BYE pass through one node between two real phones: PRACK in
 * the early dialog of a reliable provisional response (RFC 3262), then INFO (RFC 6086) and UPDATE (RFC 3311) in
 * the confirmed dialog, each along the route set the proxy recorded, with its headers and body intact.
 */
class InDialogRequestsTest {
    private static final String DTMF = "Signal=5\r\nDuration=160\r\n";

    @RegisterExtension
    static final SingleNode node = SingleNode.of("in-dialog", List.of("alice@sip.test,pw", "bob@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = off"));

    @Test
    void prackInfoAndUpdatePassThroughTheProxyInTheirDialogs() {
        try (DialogPhone alice = phone("alice"); DialogPhone bob = phone("bob")) {
            String callId = reliablyProvisionedCall(alice, bob);

            // INFO, caller to callee, in the confirmed dialog
            DialogPhone.Sent info = alice.request(callId, "INFO", List.of("Info-Package: dtmf"),
                    "application/dtmf-relay", DTMF);
            SipRequest infoAtBob = bob.awaitRequest("INFO");
            assertInDialog(callId, infoAtBob);
            assertHeader("dtmf", infoAtBob, "info-package");
            assertHeader("application/dtmf-relay", infoAtBob, "content-type");
            assertBody(DTMF, infoAtBob);
            bob.answer(infoAtBob, 200, "OK");
            assertStatus(200, alice.await(info));

            // UPDATE, callee to caller: a new offer (hold) and its answer
            String offer = sdp("bob", 5000, 2, "a=sendonly\r\n");
            String answer = sdp("alice", 4000, 2, "a=recvonly\r\n");
            DialogPhone.Sent update = bob.request(callId, "UPDATE", List.of(), "application/sdp", offer);
            SipRequest updateAtAlice = alice.awaitRequest("UPDATE");
            assertInDialog(callId, updateAtAlice);
            assertBody(offer, updateAtAlice);
            alice.answer(updateAtAlice, 200, "OK", List.of(), "application/sdp", answer);
            SipResponse updated = bob.await(update);
            assertStatus(200, updated);
            assertBody(answer, updated);

            // BYE
            DialogPhone.Sent bye = alice.request(callId, "BYE", List.of(), null, null);
            SipRequest byeAtBob = bob.awaitRequest("BYE");
            assertInDialog(callId, byeAtBob);
            bob.answer(byeAtBob, 200, "OK");
            assertStatus(200, alice.await(bye));
        }
    }

    /**
     * alice INVITEs bob offering 100rel; bob answers a reliable 183 with SDP, alice PRACKs it in the early dialog
     * and bob answers the PRACK, then the INVITE 200 OK, which alice ACKs: the Call-ID.
     */
    private static String reliablyProvisionedCall(DialogPhone alice, DialogPhone bob) {
        String offer = sdp("alice", 4000, 1, "");
        String earlyAnswer = sdp("bob", 5000, 1, "");
        DialogPhone.Sent invite = alice.invite("sip:bob@sip.test", List.of("Supported: 100rel"), offer);
        SipRequest inviteAtBob = bob.awaitRequest("INVITE");
        assertEquals(invite.callId(), inviteAtBob.callId(), "the INVITE reaching bob\n" + inviteAtBob);
        assertHeader("100rel", inviteAtBob, "supported");
        assertBody(offer, inviteAtBob);
        assertFalse(inviteAtBob.headers("record-route").isEmpty(), "the proxy stays in the dialog:\n" + inviteAtBob);

        bob.answer(inviteAtBob, 183, "Session Progress", List.of("Require: 100rel", "RSeq: 1"), "application/sdp",
                earlyAnswer);
        SipResponse progress = alice.awaitProvisional(invite, 183);
        assertHeader("100rel", progress, "require");
        assertHeader("1", progress, "rseq");
        assertFalse(progress.headers("record-route").isEmpty(), "the 183 names the proxy's route:\n" + progress);
        assertFalse(progress.to().tag().isEmpty(), "the 183 makes an early dialog:\n" + progress);
        assertBody(earlyAnswer, progress);

        DialogPhone.Sent prack = alice.request(invite.callId(), "PRACK", List.of("RAck: 1 1 INVITE"), null, null);
        SipRequest prackAtBob = bob.awaitRequest("PRACK");
        assertInDialog(invite.callId(), prackAtBob);
        assertEquals(progress.to().tag(), prackAtBob.to().tag(), "the PRACK's early dialog\n" + prackAtBob);
        assertHeader("1 1 INVITE", prackAtBob, "rack");
        bob.answer(prackAtBob, 200, "OK");
        assertStatus(200, alice.await(prack));

        bob.answer(inviteAtBob, 200, "OK", List.of(), "application/sdp", earlyAnswer);
        SipResponse ok = alice.await(invite);
        assertStatus(200, ok);
        assertEquals(progress.to().tag(), ok.to().tag(), "the 200 confirms the early dialog\n" + ok);
        SipRequest ack = bob.awaitRequest("ACK");
        assertEquals(invite.callId(), ack.callId(), "the ACK reaching bob\n" + ack);
        return invite.callId();
    }

    private static DialogPhone phone(String user) {
        DialogPhone phone = new DialogPhone(user, node.address());
        assertStatus(200, phone.register());
        return phone;
    }

    private static String sdp(String user, int port, int version, String direction) {
        return "v=0\r\no=" + user + " 1 " + version + " IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0\r\n" + direction;
    }

    /** A request of the dialog, which reached its peer along the route set: the proxy popped its own Route. */
    private static void assertInDialog(String callId, SipRequest request) {
        assertEquals(callId, request.callId(), "the " + request.method() + "'s dialog\n" + request);
        assertEquals(List.of(), request.headers("route"), "the Routes left on\n" + request);
    }

    private static void assertStatus(int expected, SipResponse response) {
        assertEquals(expected, response.status(), "the final response:\n" + response);
    }

    private static void assertHeader(String expected, SipMessage message, String name) {
        assertEquals(Optional.of(expected), message.header(name), name + " of\n" + message);
    }

    private static void assertBody(String expected, SipMessage message) {
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), message.body(), "the body of\n" + message);
    }
}
