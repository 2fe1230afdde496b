package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.session.SimulatedCallTest.CALLER;
import static org.switchboard.session.SimulatedCallTest.GATEWAY;
import static org.switchboard.session.SimulatedCallTest.finalFor;
import static org.switchboard.session.SimulatedCallTest.invite;
import static org.switchboard.session.SimulatedCallTest.reInvite;
import static org.switchboard.testkit.SipText.parse;
import static org.switchboard.testkit.SipText.text;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.api.HandleSip;
import org.switchboard.sip.Branches;
import org.switchboard.sip.SipMessage;
import org.switchboard.testkit.EntityTestKit;
import org.switchboard.testkit.TransportProbe;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.TransportLocator;
import org.switchboard.transport.overload.Overload;

import akka.actor.typed.ActorRef;
import akka.persistence.testkit.javadsl.PersistenceTestKit;

/**
 * The journal fails to store what a caller's final response depends on (the answered dialog before a 200, the
 * failure before a 486): the caller gets 503 with Retry-After, never the response that was not stored, and the
 * callee's 200 sent again after that is not relayed either.
 */
class CallJournalFailureTest {
    @RegisterExtension
    static final EntityTestKit testKit = EntityTestKit.realTime("call-journal-failure").serializingJournal();
    private final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    private final Branches branches = new Branches("test-secret");
    private final TransportProbe transport = new TransportProbe(testKit.system());

    /** A call rung to the gateway, and the INVITE as forwarded there. */
    private record Rung(ActorRef<CallCommand> call, SipMessage forwarded) {
    }

    @BeforeEach
    void clearJournal() {
        journal.clearAll();
        journal.resetPolicy();
    }

    @Test
    void aCallerWhoseAnswerCouldNotBeStoredGets503AndNever200() {
        String callId = "call-journal-200";
        Rung rung = finalNotStored(callId, "200 OK");
        Send refused = transport.nextSend(CALLER);
        assertTrue(text(refused.bytes()).startsWith("SIP/2.0 503 "), text(refused.bytes()));
        assertEquals("7", parse(refused.bytes()).header("retry-after").orElseThrow());
        assertEquals("1 INVITE", parse(refused.bytes()).header("cseq").orElseThrow());

        // the callee, never acknowledged, sends its 200 again; the caller sends its INVITE again
        rung.call().tell(sip(finalFor(rung.forwarded(), callId, "200 OK")));
        rung.call().tell(sip(invite(callId)));
        Send replayed = transport.nextSend(CALLER);
        assertTrue(text(replayed.bytes()).startsWith("SIP/2.0 503 "),
                "the INVITE's transaction replays its 503: " + text(replayed.bytes()));
        transport.probe().expectNoMessage(Duration.ofMillis(800)); // and no 200, ever
        assertTrue(journal.persistedInStorage("Call|" + callId).isEmpty(), "nothing was stored");
    }

    @Test
    void aFailureThatCouldNotBeStoredIsAnswered503Too() {
        String callId = "call-journal-486";
        finalNotStored(callId, "486 Busy Here");
        // the gateway's 486 is acknowledged hop by hop; the caller gets our 503, not the 486 that was not stored
        boolean refused = false;
        for (int i = 0; i < 3 && !refused; i++) {
            Send send = transport.nextSend();
            if (send.destination().peer().port() == CALLER) {
                assertTrue(text(send.bytes()).startsWith("SIP/2.0 503 "), text(send.bytes()));
                assertEquals("7", parse(send.bytes()).header("retry-after").orElseThrow());
                refused = true;
            }
        }
        assertTrue(refused, "the caller got 503");
        assertFalse(journal.persistedInStorage("Call|" + callId).stream().anyMatch(CallEvent.CallFailed.class::isInstance));
    }

    @Test
    void aSessionRefreshThatCouldNotBeStoredIsAnswered503() {
        String callId = "call-journal-refresh";
        String timer = "Session-Expires: 1800;refresher=uac\n";
        ActorRef<CallCommand> call = testKit.spawn(Call.create(callId, settings()));
        SipMessage forwarded = ring(call, callId);
        call.tell(sip(finalFor(forwarded, callId, "200 OK", timer)));
        assertTrue(text(transport.nextSend(CALLER).bytes()).startsWith("SIP/2.0 200 "));

        call.tell(sip(reInvite(callId).replace("Content-Length: 0", timer + "Content-Length: 0")));
        SipMessage forwardedRefresh = parse(nextSendTo(GATEWAY).bytes());
        journal.failNextPersisted();
        call.tell(sip(finalFor(forwardedRefresh, callId, "200 OK", timer)));
        Send refused = nextSendTo(CALLER);
        assertTrue(text(refused.bytes()).startsWith("SIP/2.0 503 "), text(refused.bytes()));
        assertEquals("2 INVITE", parse(refused.bytes()).header("cseq").orElseThrow());
        assertEquals("7", parse(refused.bytes()).header("retry-after").orElseThrow());
        assertFalse(journal.persistedInStorage("Call|" + callId).stream()
                .anyMatch(CallEvent.SessionRefreshed.class::isInstance), "the refresh was not stored");
    }

    /** The next Send to {@code port}, past provisional responses and hop-by-hop messages to others. */
    private Send nextSendTo(int port) {
        for (int i = 0; i < 5; i++) {
            Send send = transport.nextSend();
            if (send.destination().peer().port() == port && !text(send.bytes()).startsWith("SIP/2.0 100 ")) {
                return send;
            }
        }
        throw new AssertionError("nothing sent to port " + port);
    }

    /** A call rung to the gateway ({@link #ring}), whose final response {@code statusLine} the journal fails to store. */
    private Rung finalNotStored(String callId, String statusLine) {
        ActorRef<CallCommand> call = testKit.spawn(Call.create(callId, settings()));
        SipMessage forwarded = ring(call, callId);
        journal.failNextPersisted();
        call.tell(sip(finalFor(forwarded, callId, statusLine)));
        return new Rung(call, forwarded);
    }

    /** The INVITE goes to the gateway; returns it as forwarded (the caller's 100 Trying consumed). */
    private SipMessage ring(ActorRef<CallCommand> call, String callId) {
        call.tell(sip(invite(callId)));
        assertTrue(text(transport.nextSend(CALLER).bytes()).startsWith("SIP/2.0 100 Trying"));
        return parse(transport.nextSend(GATEWAY).bytes());
    }

    /** In real time, T1 = 500 ms; overload never sheds, and a 503 says Retry-After: 7. */
    private SessionSettings settings() {
        Overload neverShedding = new Overload(Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(60),
                Duration.ZERO, 7, Clock.systemUTC());
        return SimulatedCallTest.settings(branches, Clock.systemUTC(), Duration.ofMillis(500), TransportLocator.NONE,
                neverShedding);
    }

    private HandleSip sip(String text) {
        return SimulatedCallTest.sip(text, transport.ref());
    }
}
