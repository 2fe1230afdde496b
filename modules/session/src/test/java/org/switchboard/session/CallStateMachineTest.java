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
import org.switchboard.sip.SipRequest;
import org.switchboard.testkit.EntityTestKit;
import org.switchboard.testkit.Envelopes;
import org.switchboard.testkit.SipText;
import org.switchboard.testkit.TransportProbe;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Send;

import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/** Steps of the Call entity that need no registrar: refusals at the door, and what an answered call persists. */
class CallStateMachineTest {
    @RegisterExtension
    static final EntityTestKit testKit = EntityTestKit.simulatedTime("call-states");
    private final Branches branches = new Branches("test-secret");
    private final TransportProbe transport = new TransportProbe(testKit.system());

    private EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call(String callId) {
        return EventSourcedBehaviorTestKit.create(testKit.system(),
                Call.create(callId, SessionSettings.open("127.0.0.1", 5060, branches, testKit.time().clock())));
    }

    @Test
    void aSessionIntervalBelowMinSeIsRefusedWith422AndNothingIsPersisted() {
        var call = call("call-422");
        var result = call.runCommand(sip(invite("call-422", "Session-Expires: 30")));
        assertTrue(result.events().isEmpty());
        SipMessage r = parse(expectSend(5070).bytes());
        assertTrue(r.toString().startsWith("SIP/2.0 422 Session Interval Too Small"), r.toString());
        assertEquals("90", r.header("min-se").orElseThrow());
    }

    @Test
    void aRequestThatLoopsBackIsRefusedWith482() {
        var call = call("call-482");
        String original = invite("call-482", "Subject: loop");
        SipRequest first = (SipRequest) SipText.parse(original);
        String ours = "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=" + branches.derive("call-482", "loop") + ";"
                + ProxyMessages.LOOP_PARAM + "=" + ProxyMessages.loopHash(first);
        String looped = original.replace("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKinv",
                "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKinv2\n" + ours);
        call.runCommand(sip(looped));
        assertTrue(SipText.text(expectSend(5070).bytes()).startsWith("SIP/2.0 482 "));
    }

    @Test
    void aCancelMatchingNoTransactionGets481() {
        var call = call("call-481");
        call.runCommand(sip(invite("call-481", "Subject: x").replace("INVITE sip:", "CANCEL sip:")
                .replace("CSeq: 1 INVITE", "CSeq: 1 CANCEL")));
        assertTrue(SipText.text(expectSend(5070).bytes()).startsWith("SIP/2.0 481 "));
    }

    @Test
    void refreshAndTransferOfAnAnsweredCallArePersisted() {
        var call = call("call-refresh");
        var answered = call.runCommand(sip("SIP/2.0 200 OK\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=" + branches.derive("call-refresh", "x") + "\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKc1\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:bob@example.com>;tag=b1\nCall-ID: call-refresh\n"
                + "CSeq: 1 INVITE\nSession-Expires: 1800\nContact: <sip:bob@127.0.0.1:5080>\nContent-Length: 0\n"));
        CallEvent.CallAnswered a = assertInstanceOf(CallEvent.CallAnswered.class, answered.event());
        assertEquals(1800, a.dialog().sessionExpires());
        assertTrue(a.sessionExpiresAtMillis() > a.atMillis());
        expectSend(5070);
        for (String method : new String[] {"UPDATE", "REFER"}) {
            call.runCommand(sip(method + " sip:bob@127.0.0.1:5080 SIP/2.0\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK" + method + "\n"
                    + "Route: <sip:127.0.0.1:5060;lr>\nFrom: <sip:alice@example.com>;tag=a1\n"
                    + "To: <sip:bob@example.com>;tag=b1\nCall-ID: call-refresh\nCSeq: 2 " + method + "\n"
                    + "Refer-To: <sip:carol@example.com>\nSession-Expires: 1800\nContent-Length: 0\n"));
            SipMessage forwarded = parse(expectSend(5080).bytes());
            var result = call.runCommand(sip("SIP/2.0 " + (method.equals("REFER") ? "202 Accepted" : "200 OK") + "\n"
                    + "Via: " + forwarded.headers("via").get(0) + "\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK" + method + "\n"
                    + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:bob@example.com>;tag=b1\nCall-ID: call-refresh\n"
                    + "CSeq: 2 " + method + "\nSession-Expires: 1800\nContent-Length: 0\n"));
            expectSend(5070);
            if (method.equals("UPDATE")) {
                assertInstanceOf(CallEvent.SessionRefreshed.class, result.event());
            } else {
                assertEquals("<sip:carol@example.com>",
                        assertInstanceOf(CallEvent.CallTransferred.class, result.event()).target());
                assertTrue(assertInstanceOf(CallState.Answered.class, result.state()).transferred());
            }
        }
    }

    private static String invite(String callId, String extraHeader) {
        return "INVITE sip:bob@example.com SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKinv\nMax-Forwards: 70\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:bob@example.com>\nCall-ID: " + callId + "\n"
                + "CSeq: 1 INVITE\nContact: <sip:alice@127.0.0.1:5070>\n" + extraHeader + "\nContent-Length: 0\n";
    }

    private HandleSip sip(String text) {
        return new HandleSip(Envelopes.udp(text, new Peer("127.0.0.1", 5070), transport.ref()));
    }

    private Send expectSend(int port) {
        return transport.nextSend(port);
    }
}
