package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.SipResponse;
import org.switchboard.testkit.DigestAnswers;

/** A node with the proxy's policies on: callers of our domain authenticate (407), redirects are followed. */
class ProxyPolicyTest {
    @RegisterExtension
    static final SingleNode node = SingleNode.of("policy", List.of("alice@sip.test,alicepw", "bob@sip.test,pw",
                    "forwarder@sip.test,pw", "dan@sip.test,pw", "eve@sip.test,pw,max-calls-per-minute=1",
                    "texter@sip.test,pw,max-calls-per-minute=1", "reader@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = on", "switchboard.proxy.follow-redirects = on"));

    @Test
    void aCallerOfOurDomainIsChallengedAndGetsThroughWithCredentials() {
        int uas = CallScenariosTest.register(node, "bob");
        CallScenariosTest.call(node,
                List.of("SEQUENTIAL", "bob;sip.test;alice;[authentication username=alice password=alicepw]"), "bob",
                Sipp.testScenario(node.work(), "uac_authenticates.xml", Map.of()), 3,
                new CallScenariosTest.Callee(Sipp.scenario("uas_call.xml"), uas));
    }

    @Test
    void aCallerPastItsCallsPerMinuteIsRefusedWithTheLimitAsReason() {
        try (DialogPhone dan = new DialogPhone("dan", node.address());
             DialogPhone eve = new DialogPhone("eve", node.address())) {
            assertEquals(200, dan.register().status());
            String sdp = "v=0\r\no=eve 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio 4000 RTP/AVP 0\r\n";
            SipResponse challenge = eve.await(eve.invite("sip:dan@sip.test", List.of(), sdp));
            assertEquals(407, challenge.status());

            DialogPhone.Sent first = eve.invite("sip:dan@sip.test",
                    List.of("Proxy-Authorization: " + credentials(challenge, "eve", "pw", "sip:dan@sip.test", 1)), sdp);
            dan.answer(dan.awaitRequest("INVITE"), 486, "Busy Here");
            assertEquals(486, eve.await(first).status(), "the first call of the minute goes through");

            SipResponse second = eve.await(eve.invite("sip:dan@sip.test",
                    List.of("Proxy-Authorization: " + credentials(challenge, "eve", "pw", "sip:dan@sip.test", 2)), sdp));
            assertEquals(403, second.status());
            assertEquals("Forbidden - call rate limit", second.reason());
        }
    }

    @Test
    void aMessageFromOurUserIsChallengedAndNeverCountsAsACall() {
        try (DialogPhone reader = new DialogPhone("reader", node.address());
             DialogPhone texter = new DialogPhone("texter", node.address())) {
            assertEquals(200, reader.register().status());
            DialogPhone.Sent unsigned = texter.outOfDialog("MESSAGE", "sip:reader@sip.test", List.of(), "text/plain", "hi");
            SipResponse challenge = texter.await(unsigned);
            assertEquals(407, challenge.status(), "a user of ours proves who it is before its MESSAGE goes anywhere");
            assertEquals(false, reader.hasReceived("MESSAGE"), "nothing reached the reader without credentials");
            for (int nc = 1; nc <= 3; nc++) { // three messages in the minute of an account allowed one call a minute
                DialogPhone.Sent signed = texter.request(unsigned.callId(), "MESSAGE", List.of("Proxy-Authorization: "
                        + DigestAnswers.answer(challenge.header("proxy-authenticate").orElseThrow(), "texter", "pw",
                        "MESSAGE", "sip:reader@sip.test", nc)), "text/plain", "hi " + nc);
                org.switchboard.sip.SipRequest delivered = reader.awaitRequest("MESSAGE");
                assertEquals("hi " + nc, new String(delivered.body()));
                assertEquals(false, delivered.header("proxy-authorization").isPresent(), "our credentials are consumed");
                reader.answer(delivered, 200, "OK");
                assertEquals(200, texter.await(signed).status(), "message " + nc + ": a MESSAGE is not a call");
            }
        }
    }

    /** A Proxy-Authorization for an INVITE to {@code uri}, answering the 407's first challenge with count {@code nc}. */
    private static String credentials(SipResponse challenge, String user, String password, String uri, int nc) {
        return DigestAnswers.answer(challenge.header("proxy-authenticate").orElseThrow(), user, password, "INVITE", uri, nc);
    }

    @Test
    void aRedirectIsFollowedToItsContact() {
        int redirecting = CallScenariosTest.register(node, "forwarder");
        int target = FreePorts.udpAndTcp();
        CallScenariosTest.call(node, List.of("SEQUENTIAL", "forwarder;sip.test"), "forwarder",
                Sipp.testScenario(node.work(), "uac_call_from.xml", Map.of("FROM", "carol@elsewhere.net")), 3,
                new CallScenariosTest.Callee(Sipp.testScenario(node.work(), "uas_redirects.xml",
                        Map.of("TARGET", "sip:target@127.0.0.1:" + target)), redirecting),
                new CallScenariosTest.Callee(Sipp.scenario("uas_call.xml"), target));
    }

    @Test
    void aCallToAForeignDomainWithoutRouteIsRefused() {
        CallScenariosTest.call(node, List.of("SEQUENTIAL", "someone;elsewhere.net"), "foreign",
                Sipp.testScenario(node.work(), "uac_rejected.xml", Map.of("CODE", "403")), 2);
    }
}
