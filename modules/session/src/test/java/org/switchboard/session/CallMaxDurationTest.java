package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.api.CheckDeadline;
import org.switchboard.session.api.HandleSip;
import org.switchboard.sip.Branches;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.api.TransportCommand;
import org.switchboard.transport.api.TransportLocator;
import org.switchboard.transport.overload.Overload;

import com.typesafe.config.ConfigFactory;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.SerializationTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * An answered call ends at its maximum duration with a BYE to each side and an end record: by its own timer while
 * the entity is awake, and at once when the call sweeper wakes a call that is past it (after a failover, or a
 * passivation that dropped the timer).
 */
class CallMaxDurationTest {
    private static final int CALLER = 5070;
    private static final int GATEWAY = 5090;
    private static ActorTestKit testKit;
    private final Branches branches = new Branches("test-secret");
    private final TestProbe<TransportCommand> transport = testKit.createTestProbe();

    /** A clock the test moves on (the entity reads time only from its settings). */
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("call-max-duration", EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.parseString(
                "akka.actor.serialization-bindings { \"org.switchboard.transport.api.ClusterSerializable\" = jackson-json }")));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void anAwakeCallEndsByItsOwnTimerAtTheMaximumDuration() {
        now.set(System.currentTimeMillis());
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
        now.set(System.currentTimeMillis());
        var call = EventSourcedBehaviorTestKit.<CallCommand, CallEvent, CallState>create(testKit.system(),
                Call.create("call-max-woken", settings(Duration.ofHours(12), clock)));
        answer(call, "call-max-woken");
        transport.expectNoMessage(Duration.ofMillis(200));

        // not due yet: the wake arms the timers again and changes nothing
        var early = call.runCommand(new CheckDeadline());
        assertTrue(early.events().isEmpty());
        transport.expectNoMessage(Duration.ofMillis(200));

        // the node holding the call died; twelve hours later the sweeper wakes it on another
        call.restart();
        now.addAndGet(Duration.ofHours(12).toMillis() + 1);
        var woken = call.runCommand(new CheckDeadline());
        CallEvent.CallEnded ended = assertInstanceOf(CallEvent.CallEnded.class, woken.event());
        assertEquals("max-call-duration", ended.cause());
        assertByesToBothSides(byes(), "call-max-woken");

        // woken again (the sweeper had not read the end yet): nothing more happens
        assertTrue(call.runCommand(new CheckDeadline()).events().isEmpty());
        transport.expectNoMessage(Duration.ofMillis(200));
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
        now.set(System.currentTimeMillis());
        var call = EventSourcedBehaviorTestKit.<CallCommand, CallEvent, CallState>create(testKit.system(),
                Call.create("call-session-woken", settings(Duration.ofHours(12), clock)));
        answer(call, "call-session-woken", "Session-Expires: 1800;refresher=uac\n");
        call.restart();
        now.addAndGet(Duration.ofSeconds(1801).toMillis());
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
        assertTrue(text(next()).startsWith("SIP/2.0 100 Trying"));
        SipMessage forwarded = parse(next().bytes());
        call.runCommand(sip(okFor(forwarded, callId, extraOkHeaders)));
        long at = System.currentTimeMillis();
        Send ok = next();
        assertEquals(CALLER, ok.destination().peer().port());
        assertTrue(text(ok).startsWith("SIP/2.0 200"), text(ok));
        assertInstanceOf(CallState.Answered.class, call.getState());
        return at;
    }

    private List<SipRequest> byes() {
        List<SipRequest> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Send send = (Send) transport.receiveMessage(Duration.ofSeconds(5));
            SipRequest bye = (SipRequest) parse(send.bytes());
            assertEquals("BYE", bye.method(), text(send));
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

    private SessionSettings settings(Duration max, Clock clock) {
        return new SessionSettings("127.0.0.1", 5060, "127.0.0.1", 5060, branches,
                Duration.ofSeconds(3), clock, Set.of("example.com"), false, List.of(),
                Map.of("*", "sip:127.0.0.1:" + GATEWAY), false, 3, 90, Duration.ofMillis(500), Duration.ofSeconds(180),
                locator(), Overload.NEVER).withMaxCallDuration(max);
    }

    /** A woken entity has no message to answer through: it finds a transport node (here, the probe) to send its BYEs. */
    private TransportLocator locator() {
        return () -> Optional.of(transport.ref());
    }

    private Send next() {
        return (Send) transport.receiveMessage(Duration.ofSeconds(3));
    }

    private static String text(Send send) {
        return new String(send.bytes(), StandardCharsets.UTF_8);
    }

    static String invite(String callId) {
        return "INVITE sip:carol@other.net SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=z9hG4bKinv\nMax-Forwards: 70\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:carol@other.net>\nCall-ID: " + callId + "\n"
                + "CSeq: 1 INVITE\nContact: <sip:alice@127.0.0.1:" + CALLER + ">\nContent-Length: 0\n";
    }

    /** The gateway's answer to the forwarded INVITE, with the route set and its Contact. */
    static String okFor(SipMessage forwarded, String callId, String extraHeaders) {
        StringBuilder b = new StringBuilder("SIP/2.0 200 OK\n")
                .append("Via: ").append(String.join("\nVia: ", forwarded.headers("via"))).append("\n");
        forwarded.headers("record-route").forEach(rr -> b.append("Record-Route: ").append(rr).append("\n"));
        return b.append("From: <sip:alice@example.com>;tag=a1\nTo: <sip:carol@other.net>;tag=c1\n")
                .append("Call-ID: ").append(callId).append("\nCSeq: ").append(forwarded.header("cseq").orElseThrow())
                .append("\nContact: <sip:carol@127.0.0.1:").append(GATEWAY).append(">\n").append(extraHeaders)
                .append("Content-Length: 0\n").toString();
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
