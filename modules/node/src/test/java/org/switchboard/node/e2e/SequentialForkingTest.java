package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/**
 * Sequential forking by q (RFC 3261 §16.6 step 1, §16.7 steps 6 and 10) through one node, between real phones: the
 * devices of an AOR with the highest q ring first, devices of equal q ring together, the next group rings only
 * when every device of the current one has failed, a 4xx moves the search on, a 6xx ends it, and when every group
 * has failed the caller gets the best response (the lowest class, the first received within it).
 * Every AOR is used by one test only.
 */
class SequentialForkingTest {
    @RegisterExtension
    static final SingleNode node = SingleNode.of("forking", List.of("desk@sip.test,pw", "declines@sip.test,pw", "nobody@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = off"));

    @Test
    void theHighestQRingsFirstABusyMovesOnAndEqualQDevicesRingTogether() {
        try (DialogPhone caller = new DialogPhone("caller", node.address());
             DialogPhone high = device("desk", ";q=1.0"); DialogPhone midA = device("desk", ";q=0.5");
             DialogPhone midB = device("desk", ";q=0.5"); DialogPhone low = device("desk", ";q=0.1")) {
            DialogPhone.Sent invite = caller.invite("sip:desk@sip.test", List.of(), sdp("caller"));

            SipRequest atHigh = high.awaitRequest("INVITE");
            high.answer(atHigh, 180, "Ringing");
            caller.awaitProvisional(invite, 180);
            assertFalse(midA.hasReceived("INVITE") || midB.hasReceived("INVITE") || low.hasReceived("INVITE"),
                    "only the q=1.0 device rings while it rings");

            high.answer(atHigh, 486, "Busy Here");
            high.awaitRequest("ACK"); // the proxy acknowledges the 486 hop by hop
            // both q=0.5 devices ring at once: the first fails, the other still decides the call
            SipRequest atMidA = midA.awaitRequest("INVITE");
            SipRequest atMidB = midB.awaitRequest("INVITE");
            assertEquals(invite.callId(), atMidA.callId());
            assertEquals(invite.callId(), atMidB.callId());
            midA.answer(atMidA, 480, "Temporarily Unavailable");
            midA.awaitRequest("ACK");
            assertFalse(low.hasReceived("INVITE"), "the q=0.1 device waits while a q=0.5 device still rings");
            assertFalse(invite.response().isDone(), "nothing final reaches the caller yet");

            midB.answer(atMidB, 200, "OK", List.of(), "application/sdp", sdp("midB"));
            SipResponse ok = caller.await(invite);
            assertEquals(200, ok.status(), "the second q=0.5 device answers the call");
            assertEquals(midB.localTag(invite.callId()), ok.to().tag().orElseThrow(), "the answer is midB's");
            midB.awaitRequest("ACK");
            assertFalse(low.hasReceived("INVITE"), "an answered call rings no lower q");

            DialogPhone.Sent bye = caller.request(invite.callId(), "BYE", List.of(), null, null);
            midB.answer(midB.awaitRequest("BYE"), 200, "OK");
            assertEquals(200, caller.await(bye).status());
        }
    }

    @Test
    void aGlobalFailureStopsTheSearchTheLowerQNeverRings() {
        try (DialogPhone caller = new DialogPhone("caller", node.address());
             DialogPhone high = device("declines", ";q=0.9"); DialogPhone low = device("declines", ";q=0.2")) {
            DialogPhone.Sent invite = caller.invite("sip:declines@sip.test", List.of(), sdp("caller"));
            SipRequest atHigh = high.awaitRequest("INVITE");
            high.answer(atHigh, 603, "Decline");
            // the lower device never answers: a search that went on would keep the caller waiting (Timer C)
            SipResponse declined = caller.await(invite);
            assertEquals(603, declined.status(), "a 6xx ends the search and goes to the caller (§16.7 step 5)");
            high.awaitRequest("ACK");
            assertFalse(low.hasReceived("INVITE"), "the q=0.2 device never rang after a 603");
        }
    }

    @Test
    void whenEveryGroupFailsTheCallerGetsTheFirstResponseOfTheLowestClass() {
        try (DialogPhone caller = new DialogPhone("caller", node.address());
             DialogPhone high = device("nobody", ";q=0.8"); DialogPhone low = device("nobody", ";q=0.3")) {
            DialogPhone.Sent invite = caller.invite("sip:nobody@sip.test", List.of(), sdp("caller"));
            high.answer(high.awaitRequest("INVITE"), 486, "Busy Here");
            SipRequest atLow = low.awaitRequest("INVITE");
            assertEquals(invite.callId(), atLow.callId(), "a 486 moves the search on to the next q");
            low.answer(atLow, 404, "Not Found");
            SipResponse failed = caller.await(invite);
            assertEquals(486, failed.status(), "the best of 486 and 404 is the first 4xx received");
        }
    }

    /** A device of {@code user} registered with these Contact parameters. */
    private static DialogPhone device(String user, String contactParams) {
        DialogPhone phone = new DialogPhone(user, node.address());
        assertEquals(200, phone.register(contactParams).status(), user + contactParams + " registers");
        return phone;
    }

    private static String sdp(String user) {
        return "v=0\r\no=" + user + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
    }
}
