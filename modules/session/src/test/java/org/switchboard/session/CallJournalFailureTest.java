package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.api.HandleSip;
import org.switchboard.sip.Branches;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.api.TransportCommand;
import org.switchboard.transport.api.TransportLocator;
import org.switchboard.transport.overload.Overload;

import com.typesafe.config.ConfigFactory;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.javadsl.PersistenceTestKit;

/**
 * The journal fails to store what a caller's final response depends on (the answered dialog before a 200, the
 * failure before a 486): the caller gets 503 with Retry-After, never the response that was not stored, and the
 * callee's 200 sent again after that is not relayed either.
 */
class CallJournalFailureTest {
    private static final int CALLER = 5070;
    private static final int GATEWAY = 5090;
    private static ActorTestKit testKit;
    private static PersistenceTestKit journal;
    private final Branches branches = new Branches("test-secret");
    private final TestProbe<TransportCommand> transport = testKit.createTestProbe();

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("call-journal-failure", PersistenceTestKitPlugin.getInstance().config()
                .withFallback(ConfigFactory.parseString("""
                        akka.actor.serialization-bindings { "org.switchboard.transport.api.ClusterSerializable" = jackson-json }
                        akka.persistence.testkit.events.serialize = on
                        """)));
        journal = PersistenceTestKit.create(testKit.system());
    }

    @BeforeEach
    void clearJournal() {
        journal.clearAll();
        journal.resetPolicy();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aCallerWhoseAnswerCouldNotBeStoredGets503AndNever200() {
        String callId = "call-journal-200";
        ActorRef<CallCommand> call = testKit.spawn(Call.create(callId, settings()));
        SipMessage forwarded = ring(call, callId);

        journal.failNextPersisted();
        call.tell(sip(CallMaxDurationTest.okFor(forwarded, callId, "")));
        Send refused = toCaller();
        assertTrue(text(refused).startsWith("SIP/2.0 503 "), text(refused));
        assertEquals("7", parse(refused.bytes()).header("retry-after").orElseThrow());
        assertEquals("1 INVITE", parse(refused.bytes()).header("cseq").orElseThrow());

        // the callee, never acknowledged, sends its 200 again; the caller sends its INVITE again
        call.tell(sip(CallMaxDurationTest.okFor(forwarded, callId, "")));
        call.tell(sip(CallMaxDurationTest.invite(callId)));
        Send replayed = toCaller();
        assertTrue(text(replayed).startsWith("SIP/2.0 503 "), "the INVITE's transaction replays its 503: " + text(replayed));
        transport.expectNoMessage(Duration.ofMillis(800)); // and no 200, ever
        assertTrue(journal.persistedInStorage("Call|" + callId).isEmpty(), "nothing was stored");
    }

    @Test
    void aFailureThatCouldNotBeStoredIsAnswered503Too() {
        String callId = "call-journal-486";
        ActorRef<CallCommand> call = testKit.spawn(Call.create(callId, settings()));
        SipMessage forwarded = ring(call, callId);

        journal.failNextPersisted();
        call.tell(sip(CallMaxDurationTest.okFor(forwarded, callId, "").replace("SIP/2.0 200 OK", "SIP/2.0 486 Busy Here")));
        // the gateway's 486 is acknowledged hop by hop; the caller gets our 503, not the 486 that was not stored
        boolean refused = false;
        for (int i = 0; i < 3 && !refused; i++) {
            Send send = (Send) transport.receiveMessage(Duration.ofSeconds(3));
            if (send.destination().peer().port() == CALLER) {
                assertTrue(text(send).startsWith("SIP/2.0 503 "), text(send));
                assertEquals("7", parse(send.bytes()).header("retry-after").orElseThrow());
                refused = true;
            }
        }
        assertTrue(refused, "the caller got 503");
        assertFalse(journal.persistedInStorage("Call|" + callId).stream().anyMatch(CallEvent.CallFailed.class::isInstance));
    }

    /** The INVITE goes to the gateway; returns it as forwarded (the caller's 100 Trying consumed). */
    private SipMessage ring(ActorRef<CallCommand> call, String callId) {
        call.tell(sip(CallMaxDurationTest.invite(callId)));
        assertTrue(text(toCaller()).startsWith("SIP/2.0 100 Trying"));
        Send invite = (Send) transport.receiveMessage(Duration.ofSeconds(3));
        assertEquals(GATEWAY, invite.destination().peer().port());
        return parse(invite.bytes());
    }

    private Send toCaller() {
        Send send = (Send) transport.receiveMessage(Duration.ofSeconds(3));
        assertEquals(CALLER, send.destination().peer().port(), text(send));
        return send;
    }

    private SessionSettings settings() {
        Overload neverShedding = new Overload(Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(60), 7,
                Clock.systemUTC());
        return new SessionSettings("127.0.0.1", 5060, "127.0.0.1", 5060, branches,
                Duration.ofSeconds(3), Clock.systemUTC(), Set.of("example.com"), false, List.of(),
                Map.of("*", "sip:127.0.0.1:" + GATEWAY), false, 3, 90, Duration.ofMillis(500), Duration.ofSeconds(180),
                TransportLocator.NONE, neverShedding);
    }

    private static String text(Send send) {
        return new String(send.bytes(), StandardCharsets.UTF_8);
    }

    private HandleSip sip(String text) {
        byte[] bytes = (text + "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        return new HandleSip(new Envelope(bytes, SipTransport.UDP, new Peer("127.0.0.1", CALLER),
                new Peer("127.0.0.1", 5060), Optional.empty(), transport.ref()));
    }

    private static SipMessage parse(byte[] bytes) {
        return ((ParseResult.Parsed) SipParser.parse(bytes)).message();
    }
}
