package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.switchboard.session.api.CallCommand;
import org.switchboard.sip.SipMessage;
import org.switchboard.testkit.SipText;
import org.switchboard.testkit.TransportProbe;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.TransportCommand;
import org.switchboard.transport.api.TransportLocator;
import org.switchboard.transport.overload.Overload;

import akka.actor.typed.ActorRef;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * The transport node an INVITE came through is killed while its transaction goes on: the callee's 2xx, sent again
 * to that node's address and brought in by the survivor (a load balancer or a virtual IP moves the address), must
 * still reach the caller, through a transport node that is alive.
 */
class TransportNodeLossTest extends SimulatedCallTest {
    private final TransportProbe survivor = new TransportProbe(testKit.system());
    private final Set<ActorRef<TransportCommand>> lost = ConcurrentHashMap.newKeySet();

    @Test
    void aRetransmittedAnswerGoesUpThroughTheInvitesNodeWhileItLivesAndThroughASurvivorOnceItIsLost() {
        String callId = "answer-after-transport-loss";
        var call = call(callId);
        SipMessage forwarded = ringing(callId, call);
        relay(forwarded, callId, "200 OK", call::runCommand, now());

        // the 200 sent again, brought in by another node while the INVITE's node lives: up through the INVITE's
        // node, whose address the caller (and its NAT) knows
        call.runCommand(sip(finalFor(forwarded, callId, "200 OK"), survivor.ref()));
        assertAnswerTo(transport.nextSend());
        survivor.expectNothingSent();

        // the INVITE's node is killed: the next copy of the 200 goes up through the survivor, not into the void
        lost.add(transport.ref());
        call.runCommand(sip(finalFor(forwarded, callId, "200 OK"), survivor.ref()));
        assertAnswerTo(survivor.nextSend());
        transport.expectNothingSent();
    }

    @Test
    void aRingingCallWhoseInvitesNodeIsLostIsAnsweredThroughASurvivor() {
        String callId = "ringing-after-transport-loss";
        var call = call(callId);
        SipMessage forwarded = ringing(callId, call);
        lost.add(transport.ref());

        call.runCommand(sip(finalFor(forwarded, callId, "200 OK"), survivor.ref()));
        assertInstanceOf(CallState.Answered.class, call.getState(), "the dialog is persisted from the answer");
        assertAnswerTo(survivor.nextSend());
        transport.expectNothingSent();
    }

    /** The caller's INVITE, come in through {@code transport}, forwarded to the gateway: returned as it went. */
    private SipMessage ringing(String callId, EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call) {
        return forwardInvite(callId, call::runCommand, now());
    }

    private static void assertAnswerTo(Send send) {
        String text = SipText.text(send.bytes());
        assertEquals(CALLER, send.destination().peer().port(), text);
        assertTrue(text.startsWith("SIP/2.0 200 OK"), text);
    }

    @Override
    EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call(String callId) {
        return EventSourcedBehaviorTestKit.create(testKit.system(), Call.create(callId,
                settings(branches, testKit.time().clock(), T1, locator(), Overload.NEVER)));
    }

    /** The cluster's listing as the node's directory keeps it: the survivor lives, the killed node is lost. */
    private TransportLocator locator() {
        return new TransportLocator() {
            @Override
            public Optional<ActorRef<TransportCommand>> any() {
                return Optional.of(survivor.ref());
            }

            @Override
            public boolean lost(ActorRef<TransportCommand> sendPath) {
                return lost.contains(sendPath);
            }
        };
    }
}
