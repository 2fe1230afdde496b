package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.session.SimulatedCallTest.CALLER;
import static org.switchboard.session.SimulatedCallTest.GATEWAY;
import static org.switchboard.session.SimulatedCallTest.finalFor;
import static org.switchboard.session.SimulatedCallTest.invite;
import static org.switchboard.testkit.SipText.parse;
import static org.switchboard.testkit.SipText.text;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.api.CheckDeadline;
import org.switchboard.session.api.HandleSip;
import org.switchboard.sip.Branches;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipRequest;
import org.switchboard.testkit.EntityTestKit;
import org.switchboard.testkit.TestClock;
import org.switchboard.testkit.TransportProbe;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.TransportLocator;
import org.switchboard.transport.overload.Overload;

import akka.actor.testkit.typed.javadsl.SerializationTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * An answered call ends at its maximum duration with a BYE to each side and an end record: by its own timer while
 * the entity is awake, and at once when the call sweeper wakes a call that is past it (after a failover, or a
 * passivation that dropped the timer).
 */
class CallMaxDurationTest {
    @RegisterExtension
    static final EntityTestKit testKit = EntityTestKit.realTime("call-max-duration");
    private final Branches branches = new Branches("test-secret");
    private final TransportProbe transport = new TransportProbe(testKit.system());
    /** A clock the test moves on (the entity reads time only from its settings). */
    private final TestClock clock = TestClock.manual();

    @Test
    void anAwakeCallEndsByItsOwnTimerAtTheMaximumDuration() {
        var call = EventSourcedBehaviorTestKit.<CallCommand, CallEvent, CallState>create(testKit.system(),
                Call.create("call-max-awake", settings(Duration.ofSeconds(1), Clock.systemUTC())));
        long answeredAt = answer(call, "call-max-awake");
        List<SipRequest> byes = byes();
        long endedAfter = System.currentTimeMillis() - answeredAt;
        assertTrue(endedAfter >= 950 && endedAfter < 3000, "ended " + endedAfter + " ms after the answer");
        assertByesToBothSides(byes, "call-max-awake");
        CallState.Ended ended = assertInstanceOf(CallState.Ended.class, call.getState());
        assertEquals("max-call-duration", ended.cause());
    }

    @Test
    void aCallWokenByTheSweeperPastItsMaximumDurationEndsAtOnce() {
        var call = EventSourcedBehaviorTestKit.<CallCommand, CallEvent, CallState>create(testKit.system(),
                Call.create("call-max-woken", settings(Duration.ofHours(12), clock)));
        answer(call, "call-max-woken");
        transport.probe().expectNoMessage(Duration.ofMillis(200));

        // not due yet: the wake arms the timers again and changes nothing
        var early = call.runCommand(new CheckDeadline());
        assertTrue(early.events().isEmpty());
        transport.probe().expectNoMessage(Duration.ofMillis(200));

        // the node holding the call died; twelve hours later the sweeper wakes it on another
        call.restart();
        clock.advance(Duration.ofHours(12).plusMillis(1));
        var woken = call.runCommand(new CheckDeadline());
        CallEvent.CallEnded ended = assertInstanceOf(CallEvent.CallEnded.class, woken.event());
        assertEquals("max-call-duration", ended.cause());
        assertByesToBothSides(byes(), "call-max-woken");

        // woken again (the sweeper had not read the end yet): nothing more happens
        assertTrue(call.runCommand(new CheckDeadline()).events().isEmpty());
        transport.probe().expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void theSweepersWakeCrossesNodesAsJson() throws Exception {
        CheckDeadline wake = new CheckDeadline();
        assertEquals(wake, new SerializationTestKit(testKit.system()).verifySerialization(wake, true));
        assertEquals("JacksonJsonSerializer", akka.serialization.SerializationExtension.get(testKit.system())
                .serializerFor(CheckDeadline.class).getClass().getSimpleName());
    }

    @Test
    void aSessionTimerThatRanOutWhileTheCallSleptEndsItWhenWoken() {
        var call = EventSourcedBehaviorTestKit.<CallCommand, CallEvent, CallState>create(testKit.system(),
                Call.create("call-session-woken", settings(Duration.ofHours(12), clock)));
        answer(call, "call-session-woken", "Session-Expires: 1800;refresher=uac\n");
        call.restart();
        clock.advance(Duration.ofSeconds(1801));
        var woken = call.runCommand(new CheckDeadline());
        assertEquals("session timer expired", assertInstanceOf(CallEvent.CallEnded.class, woken.event()).cause());
        assertByesToBothSides(byes(), "call-session-woken");
    }

    private long answer(EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call, String callId) {
        return answer(call, callId, "");
    }

    /** Sends the INVITE, answers it 200 from the gateway; returns when the caller got the 200 (epoch ms). */
    private long answer(EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call, String callId,
                        String extraOkHeaders) {
        call.runCommand(sip(invite(callId)));
        assertTrue(text(transport.nextSend().bytes()).startsWith("SIP/2.0 100 Trying"));
        SipMessage forwarded = parse(transport.nextSend().bytes());
        call.runCommand(sip(finalFor(forwarded, callId, "200 OK", extraOkHeaders)));
        long at = System.currentTimeMillis();
        Send ok = transport.nextSend();
        assertEquals(CALLER, ok.destination().peer().port());
        assertTrue(text(ok.bytes()).startsWith("SIP/2.0 200"), text(ok.bytes()));
        assertInstanceOf(CallState.Answered.class, call.getState());
        return at;
    }

    private List<SipRequest> byes() {
        List<SipRequest> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Send send = (Send) transport.probe().receiveMessage(Duration.ofSeconds(5));
            SipRequest bye = (SipRequest) parse(send.bytes());
            assertEquals("BYE", bye.method(), text(send.bytes()));
            out.add(bye);
            out.sort((a, b) -> a.requestUriText().compareTo(b.requestUriText()));
        }
        return out;
    }

    private static void assertByesToBothSides(List<SipRequest> byes, String callId) {
        assertEquals(List.of("sip:alice@127.0.0.1:" + CALLER, "sip:carol@127.0.0.1:" + GATEWAY),
                byes.stream().map(SipRequest::requestUriText).toList());
        for (SipRequest bye : byes) {
            assertEquals(callId, bye.callId());
            assertTrue(bye.header("reason").orElse("").contains("max-call-duration")
                    || bye.header("reason").orElse("").contains("session timer expired"), bye.toString());
        }
    }

    /** In real time, T1 = 500 ms, calls ending at {@code max}. */
    private SessionSettings settings(Duration max, Clock clock) {
        return SimulatedCallTest.settings(branches, clock, Duration.ofMillis(500), locator(), Overload.NEVER)
                .withMaxCallDuration(max);
    }

    /** A woken entity has no message to answer through: it finds a transport node (here, the probe) to send its BYEs. */
    private TransportLocator locator() {
        return () -> Optional.of(transport.ref());
    }

    private HandleSip sip(String text) {
        return SimulatedCallTest.sip(text, transport.ref());
    }
}
