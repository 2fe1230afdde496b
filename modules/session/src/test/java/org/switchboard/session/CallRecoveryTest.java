package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.testkit.SipText.parse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.api.HandleSip;
import org.switchboard.sip.Branches;
import org.switchboard.sip.SipMessage;
import org.switchboard.testkit.EntityTestKit;
import org.switchboard.testkit.Envelopes;
import org.switchboard.testkit.TransportProbe;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Send;

import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * A call answered on one incarnation of the entity is ended on the next: the answered dialog is persisted, and
 * after recovery (a failover, in production) the BYE is routed by its Route and its 200 by its Via alone.
 */
class CallRecoveryTest {
    private static final String CALL_ID = "call-recovery-1";
    @RegisterExtension
    static final EntityTestKit testKit = EntityTestKit.simulatedTime("call-recovery");
    private final Branches branches = new Branches("test-secret");

    @Test
    void anAnsweredCallRecoversAndItsByeCompletes() {
        TransportProbe transport = new TransportProbe(testKit.system());
        EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call = EventSourcedBehaviorTestKit.create(
                testKit.system(), Call.create(CALL_ID, SessionSettings.open("127.0.0.1", 5060, branches, testKit.time().clock())));

        // the callee's 200 OK reaches the entity (its INVITE transaction is gone: routed by Via alone)
        String ourBranch = branches.derive(CALL_ID, "invite");
        var answered = call.runCommand(sip(transport, """
                SIP/2.0 200 OK
                Via: SIP/2.0/UDP 127.0.0.1:5060;branch=%s
                Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKcaller1
                Record-Route: <sip:127.0.0.1:5060;lr>
                From: <sip:alice@example.com>;tag=a1
                To: <sip:bob@example.com>;tag=b1
                Call-ID: %s
                CSeq: 1 INVITE
                Contact: <sip:bob@127.0.0.1:5080>
                Content-Length: 0
                """.formatted(ourBranch, CALL_ID)));
        CallEvent.CallAnswered event = assertInstanceOf(CallEvent.CallAnswered.class, answered.event());
        assertEquals("sip:bob@127.0.0.1:5080", event.dialog().calleeContact());
        Send relayedOk = expectSend(transport, 5070);
        assertEquals(1, parse(relayedOk.bytes()).vias().size(), "our Via popped");

        call.restart();
        CallState.Answered recovered = assertInstanceOf(CallState.Answered.class, call.getState());
        assertEquals("b1", org.switchboard.sip.NameAddress.parse(recovered.dialog().to()).tag().orElseThrow());

        var bye = call.runCommand(sip(transport, """
                BYE sip:bob@127.0.0.1:5080 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKcallerbye
                Route: <sip:127.0.0.1:5060;lr>
                Max-Forwards: 70
                From: <sip:alice@example.com>;tag=a1
                To: <sip:bob@example.com>;tag=b1
                Call-ID: %s
                CSeq: 2 BYE
                Content-Length: 0
                """.formatted(CALL_ID)));
        assertTrue(bye.events().isEmpty());
        SipMessage forwarded = parse(expectSend(transport, 5080).bytes());
        assertTrue(forwarded.routes().isEmpty(), "our Route popped");
        assertEquals(2, forwarded.vias().size(), "our Via pushed");
        assertEquals("69", forwarded.header("max-forwards").orElseThrow());

        var ok = call.runCommand(sip(transport, """
                SIP/2.0 200 OK
                Via: %s
                Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKcallerbye
                From: <sip:alice@example.com>;tag=a1
                To: <sip:bob@example.com>;tag=b1
                Call-ID: %s
                CSeq: 2 BYE
                Content-Length: 0
                """.formatted(forwarded.headers("via").get(0), CALL_ID)));
        CallEvent.CallEnded ended = assertInstanceOf(CallEvent.CallEnded.class, ok.event());
        assertEquals("caller", ended.by(), "the BYE came from the dialog's caller (its From tag)");
        assertEquals(0, event.invitedAtMillis(), "an answer without its INVITE transaction: start not known");
        assertInstanceOf(CallState.Ended.class, ok.state());
        assertEquals(1, parse(expectSend(transport, 5070).bytes()).vias().size());
    }

    private static HandleSip sip(TransportProbe transport, String text) {
        return new HandleSip(Envelopes.udp(text, new Peer("127.0.0.1", 5070), transport.ref()));
    }

    private static Send expectSend(TransportProbe transport, int port) {
        return transport.nextSend(port);
    }
}
