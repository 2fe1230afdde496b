package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/**
 * Topology hiding toward a trunk ({@code switchboard.policy.topology-hiding = on}): a caller at 127.0.0.2 (a
 * trusted peer, so no challenge) calls a number of {@code trunk.test}, whose route is a trunk peer at 127.0.0.3.
 * Three calls — the caller hangs up, the trunk hangs up, the caller cancels while it rings — complete both ways,
 * with the proxy's own retransmission of the INVITE among what the trunk gets, and a fourth call from the trunk to
 * the same user (registered at 127.0.0.2) is answered and hung up by the user; no header of any message the trunk
 * receives names the user's address or any address but the node's SIP address (and the trunk's own).
 * The caller meanwhile sees an ordinary RFC 3261 stack: its own branch on every response (its transactions match
 * them), the BYE of the trunk sent to its own Contact. A second node with the option off shows the caller's Via
 * and Contact to its trunk, as before.
 *
 * <p>The SDP bodies are not checked: a caller's media address is in its SDP, which topology hiding does not
 * touch (that takes a media relay).
 */
class TrunkTopologyHidingTest {
    private static final String CALLER_HOST = "127.0.0.2";
    private static final String TRUNK_HOST = "127.0.0.3";
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";
    private static final String NUMBER = "sip:+15550100@trunk.test";
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})(?::(\\d+))?");

    private static DialogPhone trunk;
    private static DialogPhone plainTrunk;
    private static TestNode hiding;
    private static TestNode plain;

    @BeforeAll
    static void start() {
        int hidingTrunk = FreePorts.udpAndTcp();
        int plainTrunkPort = FreePorts.udpAndTcp();
        hiding = node("topohide", hidingTrunk, List.of("switchboard.policy.topology-hiding = on"));
        plain = node("topohide-off", plainTrunkPort, List.of());
        trunk = new DialogPhone("trunk", hiding.address(), TRUNK_HOST, Optional.empty(), hidingTrunk);
        plainTrunk = new DialogPhone("trunk", plain.address(), TRUNK_HOST, Optional.empty(), plainTrunkPort);
    }

    @AfterAll
    static void stop() {
        trunk.close();
        plainTrunk.close();
        hiding.process().close();
        plain.process().close();
    }

    private static TestNode node(String name, int trunkPort, List<String> extra) {
        List<String> config = new ArrayList<>(List.of(
                "switchboard.proxy.trusted-peers = [\"" + CALLER_HOST + "/32\", \"" + TRUNK_HOST + "/32\"]",
                "switchboard.proxy.routes { \"trunk.test\" = \"sip:" + TRUNK_HOST + ":" + trunkPort + "\" }"));
        config.addAll(extra);
        return TestNode.start(name, List.of("alice@sip.test,pw"), config);
    }

    @Test
    void theTrunkSeesOnlyTheNodeAndCallsCompleteBothWays() {
        try (DialogPhone alice = new DialogPhone("alice", hiding.address(), CALLER_HOST, Optional.empty())) {
            // 1: the caller hangs up; the trunk answers late, so the proxy retransmits the INVITE (Timer A) first
            DialogPhone.Sent invite = alice.invite(NUMBER, List.of(), SDP);
            SipRequest atTrunk = trunk.awaitRequest("INVITE");
            Await.until("the proxy's retransmission of the INVITE", Duration.ofSeconds(5),
                    () -> count(trunk, "INVITE ") >= 2, () -> String.valueOf(trunk.receivedMessages()));
            assertEquals(1, atTrunk.vias().size(), atTrunk.toString());
            trunk.answer(atTrunk, 200, "OK", List.of(), "application/sdp", SDP);
            SipResponse ok = alice.await(invite);
            assertEquals(200, ok.status());
            assertEquals(1, ok.vias().size(), "the caller's own Via alone: " + ok);
            assertTrue(ok.vias().get(0).sentBy().toString().startsWith(CALLER_HOST), ok.toString());
            trunk.awaitRequest("ACK");
            DialogPhone.Sent bye = alice.request(invite.callId(), "BYE", List.of(), null, null);
            trunk.answer(trunk.awaitRequest("BYE"), 200, "OK");
            assertEquals(200, alice.await(bye).status());

            // 2: the trunk hangs up; its BYE, sent to the Contact it was given, reaches the caller's real one
            DialogPhone.Sent second = alice.invite(NUMBER, List.of(), SDP);
            trunk.answer(trunk.awaitRequest("INVITE"), 200, "OK", List.of(), "application/sdp", SDP);
            assertEquals(200, alice.await(second).status());
            trunk.awaitRequest("ACK");
            DialogPhone.Sent trunkBye = trunk.request(second.callId(), "BYE", List.of(), null, null);
            SipRequest atAlice = alice.awaitRequest("BYE");
            assertEquals("sip:alice@" + CALLER_HOST + ":" + alice.port(), atAlice.requestUriText());
            alice.answer(atAlice, 200, "OK");
            assertEquals(200, trunk.await(trunkBye).status());

            // 3: the caller cancels while the trunk rings
            DialogPhone.Sent third = alice.invite(NUMBER, List.of(), SDP);
            SipRequest ringing = trunk.awaitRequest("INVITE");
            trunk.answer(ringing, 180, "Ringing");
            assertEquals(1, alice.awaitProvisional(third, 180).vias().size());
            alice.cancel(third);
            trunk.answer(trunk.awaitRequest("CANCEL"), 200, "OK");
            trunk.answer(ringing, 487, "Request Terminated");
            assertEquals(487, alice.await(third).status());
            trunk.awaitRequest("ACK"); // the proxy's own ACK of the 487, hop by hop

            // 5: an instant message to the trunk's number: the trunk sees our Via alone, the sender its own Via back
            DialogPhone.Sent text = alice.outOfDialog("MESSAGE", NUMBER, List.of(), "text/plain", "hello, PSTN");
            SipRequest textAtTrunk = trunk.awaitRequest("MESSAGE");
            assertEquals(1, textAtTrunk.vias().size(), textAtTrunk.toString());
            trunk.answer(textAtTrunk, 202, "Accepted");
            SipResponse accepted = alice.await(text);
            assertEquals(202, accepted.status());
            assertEquals(1, accepted.vias().size(), "the sender's own Via alone: " + accepted);

            // 4: the trunk calls our user: it gets the node's address as the user's Contact, its ACK reaches the
            // phone, the user's BYE reaches it without the phone's Via
            assertEquals(200, alice.register().status());
            DialogPhone.Sent inbound = trunk.invite("sip:alice@sip.test", List.of(), SDP);
            SipRequest fromTrunk = alice.awaitRequest("INVITE");
            alice.answer(fromTrunk, 200, "OK", List.of(), "application/sdp", SDP);
            SipResponse answered = trunk.await(inbound);
            assertEquals(200, answered.status());
            assertFalse(answered.contacts().get(0).uri().toString().contains(CALLER_HOST), answered.toString());
            alice.awaitRequest("ACK");
            DialogPhone.Sent userBye = alice.request(inbound.callId(), "BYE", List.of(), null, null);
            trunk.answer(trunk.awaitRequest("BYE"), 200, "OK");
            assertEquals(200, alice.await(userBye).status());
        }
        List<String> seen = trunk.receivedMessages();
        assertTrue(seen.size() >= 10, "the trunk got " + seen.size() + " messages: " + seen);
        String node = hiding.address();
        for (String message : seen) {
            String head = message.substring(0, message.indexOf("\r\n\r\n"));
            assertFalse(head.contains(CALLER_HOST), "the trunk saw the caller's address:\n" + message);
            Matcher m = IPV4.matcher(head);
            while (m.find()) {
                String address = m.group(1);
                boolean ours = address.equals(node.substring(0, node.indexOf(':')))
                        && (m.group(2) == null || node.endsWith(":" + m.group(2)));
                assertTrue(ours || address.equals(TRUNK_HOST), "the trunk saw " + m.group() + ":\n" + message);
            }
        }
    }

    @Test
    void withTheOptionOffTheTrunkSeesTheCallersViaAndContactAsBefore() {
        try (DialogPhone alice = new DialogPhone("alice", plain.address(), CALLER_HOST, Optional.empty())) {
            DialogPhone.Sent invite = alice.invite(NUMBER, List.of(), SDP);
            SipRequest atTrunk = plainTrunk.awaitRequest("INVITE");
            assertEquals(2, atTrunk.vias().size(), atTrunk.toString());
            assertEquals(CALLER_HOST + ":" + alice.port(), atTrunk.vias().get(1).sentBy().toString());
            assertEquals("sip:alice@" + CALLER_HOST + ":" + alice.port(), atTrunk.contacts().get(0).uri().toString());
            plainTrunk.answer(atTrunk, 486, "Busy Here");
            assertEquals(486, alice.await(invite).status());
        }
    }

    private static long count(DialogPhone phone, String startLine) {
        return phone.receivedMessages().stream().filter(m -> m.startsWith(startLine)).count();
    }
}
