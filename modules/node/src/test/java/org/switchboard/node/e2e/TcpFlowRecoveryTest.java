package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/**
 * RFC 5626 flow recovery mid-call: a phone on TCP loses its connection while in a call, connects again (a new
 * connection, a new source port), re-registers and refreshes the dialog with a re-INVITE over the new connection.
 * The call goes on: the far end's BYE reaches the phone over its new connection.
 */
class TcpFlowRecoveryTest {
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";

    @RegisterExtension
    static final SingleNode node = SingleNode.of("tcp-recovery", List.of("alice@sip.test,pw", "bob@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = off"));

    @Test
    void aPhoneWhoseConnectionDropsMidCallReconnectsAndKeepsTheCall() throws Exception {
        String instance = UUID.randomUUID().toString();
        try (DialogPhone alice = new DialogPhone("alice", node.address())) {
            TcpPhone first = new TcpPhone("bob", node.address(), instance);
            assertEquals(200, first.register().status());
            DialogPhone.Sent invite = alice.invite("sip:bob@sip.test", List.of(), SDP);
            assertEquals(200, alice.await(invite).status()); // bob answers by itself
            SipRequest atBob = first.awaitRequest("INVITE", invite.callId());
            first.awaitRequest("ACK", invite.callId());
            String tag = first.tagOf(invite.callId());
            first.close(); // the network goes away

            try (TcpPhone again = new TcpPhone("bob", node.address(), instance)) {
                assertEquals(200, again.register().status());
                CompletableFuture<SipResponse> refreshed = again.reInvite(atBob, tag, 2);
                SipRequest reInvite = alice.awaitRequest("INVITE");
                assertEquals(invite.callId(), reInvite.callId());
                assertNotEquals(atBob.contacts().get(0).uri().toString(), reInvite.contacts().get(0).uri().toString(),
                        "the re-INVITE names the new connection");
                alice.answer(reInvite, 200, "OK", List.of(), "application/sdp", SDP);
                assertEquals(200, refreshed.get(10, TimeUnit.SECONDS).status());
                alice.awaitRequest("ACK");

                DialogPhone.Sent bye = alice.request(invite.callId(), "BYE", List.of(), null, null);
                again.awaitRequest("BYE", invite.callId()); // over the new connection; bob answers 200 by itself
                assertEquals(200, alice.await(bye).status());
            }
        }
    }
}
