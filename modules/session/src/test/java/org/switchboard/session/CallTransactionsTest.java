package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.api.HandleSip;
import org.switchboard.sip.Branches;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Redeliver;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.api.TransportCommand;
import org.switchboard.transport.api.TransportLocator;
import org.switchboard.transport.overload.Overload;

import com.typesafe.config.ConfigFactory;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * The Call entity drives the RFC 3261 §17 transaction machines: requests it forwards over UDP are sent again
 * (Timers A and E) until answered, and time out after 64*T1 (Timers B and F); a non-2xx final to a UDP caller is
 * sent again (Timer G) until the caller's ACK. T1 is 50 ms here, so 64*T1 is 3.2 s.
 */
class CallTransactionsTest {
    private static final Duration T1 = Duration.ofMillis(50);
    private static final int CALLER = 5070;
    private static final int CALLEE = 5080;
    private static final int GATEWAY = 5090;
    private static ActorTestKit testKit;
    private final Branches branches = new Branches("test-secret");
    private final TestProbe<TransportCommand> transport = testKit.createTestProbe();
    private Overload overload = Overload.NEVER;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("call-transactions", EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.parseString(
                "akka.actor.serialization-bindings { \"org.switchboard.transport.api.ClusterSerializable\" = jackson-json }")));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** One message the entity sent, and when (ms after the test's first request). */
    private record Sent(long atMillis, Send send) {
        String text() {
            return new String(send.bytes(), StandardCharsets.UTF_8);
        }

        int port() {
            return send.destination().peer().port();
        }
    }

    @Test
    void aForwardedByeIsSentAgainUntilItsResponseWhichIsReplayedToARetransmittedBye() {
        var call = call("call-bye-ok");
        long t0 = System.nanoTime();
        call.runCommand(sip(bye("call-bye-ok")));
        List<Sent> byes = collect(t0, Duration.ofMillis(500), s -> false);
        assertTrue(byes.stream().allMatch(s -> s.port() == CALLEE && s.text().startsWith("BYE ")), byes.toString());
        // sent at 0, then Timer E at T1, 3*T1 and 7*T1 (intervals doubling): 4 within 500 ms on a quiet machine
        assertTrue(byes.size() >= 3 && byes.size() <= 5, "BYEs sent in 500 ms: " + byes.size());
        byes.forEach(s -> assertArrayEquals(byes.get(0).send().bytes(), s.send().bytes()));
        assertTrue(byes.get(1).atMillis() >= T1.toMillis() - 5, "first retransmission after T1: " + byes.get(1).atMillis());
        assertTrue(byes.get(2).atMillis() - byes.get(1).atMillis() >= 2 * T1.toMillis() - 5, "interval doubled");

        SipMessage forwarded = parse(byes.get(0).send().bytes());
        var ok = call.runCommand(sip(okFor(forwarded, "call-bye-ok")));
        assertInstanceOf(CallEvent.CallEnded.class, ok.event());
        Sent relayed = next(t0);
        assertEquals(CALLER, relayed.port());
        assertTrue(relayed.text().startsWith("SIP/2.0 200 OK"), relayed.text());
        transport.expectNoMessage(Duration.ofMillis(400)); // answered: no more retransmissions

        // the caller did not get our 200 and sends its BYE again: the same transaction answers it, nothing goes down
        call.runCommand(sip(bye("call-bye-ok")));
        Sent replayed = next(t0);
        assertEquals(CALLER, replayed.port(), replayed.text());
        assertArrayEquals(relayed.send().bytes(), replayed.send().bytes());
        transport.expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void aForwardedByeNobodyAnswersIsSentAgainThenTheCallerGets408After64T1() {
        var call = call("call-bye-timeout");
        long t0 = System.nanoTime();
        call.runCommand(sip(bye("call-bye-timeout")));
        List<Sent> sent = collect(t0, Duration.ofSeconds(8), s -> s.port() == CALLER);
        Sent timeout = sent.get(sent.size() - 1);
        assertTrue(timeout.text().startsWith("SIP/2.0 408 Request Timeout"), timeout.text());
        assertTrue(timeout.atMillis() >= 64 * T1.toMillis() - 50, "408 after Timer F: " + timeout.atMillis());
        List<Sent> byes = sent.subList(0, sent.size() - 1);
        assertTrue(byes.stream().allMatch(s -> s.port() == CALLEE && s.text().startsWith("BYE ")), byes.toString());
        // Timer E: T1, 2T1, 4T1, 8T1, 16T1, 32T1 (below T2) before Timer F at 64 T1
        assertTrue(byes.size() >= 5 && byes.size() <= 7, "BYEs sent: " + byes.size());
        assertEquals("z9hG4bKbye", parse(timeout.send().bytes()).vias().get(0).branch().orElseThrow());
        // RFC 3261 §15.1.2: a BYE that timed out ends the session all the same
        assertInstanceOf(CallState.Ended.class, call.getState());
        transport.expectNoMessage(Duration.ofMillis(300));
    }

    @Test
    void anOverloadedNodeRefusesNewCallsWith503ButServesTheDialogsItHas() {
        var call = answered("call-overload-old");
        overload = new Overload(Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(60), 7, Clock.systemUTC());
        overload.dispatcherLag(Duration.ofMillis(400).toNanos());
        var fresh = call("call-overload-new");
        var result = fresh.runCommand(sip(invite("call-overload-new")));
        assertTrue(result.events().isEmpty());
        Sent shed = next(System.nanoTime());
        assertEquals(CALLER, shed.port());
        assertTrue(shed.text().startsWith("SIP/2.0 503 "), shed.text());
        assertEquals("7", parse(shed.send().bytes()).header("retry-after").orElseThrow());
        transport.expectNoMessage(Duration.ofMillis(200)); // nothing went to the gateway

        // the call set up before goes on: its BYE is forwarded
        call.runCommand(sip(bye("call-overload-old").replace("bob@127.0.0.1:" + CALLEE, "carol@127.0.0.1:" + GATEWAY)
                .replace("tag=b1", "tag=c1").replace("bob@example.com", "carol@other.net")));
        Sent bye = next(System.nanoTime());
        assertEquals(GATEWAY, bye.port(), bye.text());
        assertTrue(bye.text().startsWith("BYE "), bye.text());
    }

    @Test
    void aRequestWithAnInventedToTagIsRefusedWith481AndGoesNowhere() {
        var call = call("call-stranger");
        String[] routes = {"", "Route: <sip:127.0.0.1:5060;lr>\n",
                "Route: <sip:127.0.0.1:5060;lr;sb=" + branches.dialogToken("another-call", "a1") + ">\n",
                "Route: <sip:127.0.0.1:5060;lr;sb=" + branches.dialogToken("call-stranger", "someone-else") + ">\n"};
        for (String method : new String[] {"BYE", "INVITE", "MESSAGE"}) {
            for (String route : routes) {
                String request = bye("call-stranger").replace("BYE", method)
                        .replaceFirst("Route: [^\n]*\n", route);
                var result = call.runCommand(sip(request));
                assertTrue(result.events().isEmpty());
                Sent answer = next(System.nanoTime());
                assertEquals(CALLER, answer.port(), method + " with '" + route + "' went to " + answer.text());
                assertTrue(answer.text().startsWith("SIP/2.0 481 "), answer.text());
            }
        }
        transport.expectNoMessage(Duration.ofMillis(200));
    }

    @Test
    void aForkNobodyAnswersIsSentAgainAndTimesOutLikeA408() {
        var call = call("call-fork-timeout");
        long t0 = System.nanoTime();
        call.runCommand(sip(invite("call-fork-timeout")));
        Sent trying = next(t0);
        assertEquals(CALLER, trying.port());
        assertTrue(trying.text().startsWith("SIP/2.0 100 Trying"), trying.text());
        // at once, before the INVITE goes anywhere (the bound is loose: the test machine may be busy)
        assertTrue(trying.atMillis() < 1000, "100 Trying at once: " + trying.atMillis());
        List<Sent> sent = collect(t0, Duration.ofSeconds(8), s -> s.port() == CALLER);
        Sent failure = sent.get(sent.size() - 1);
        assertTrue(failure.text().startsWith("SIP/2.0 408 "), failure.text());
        assertTrue(failure.atMillis() >= 64 * T1.toMillis() - 50, "408 after Timer B: " + failure.atMillis());
        List<Sent> invites = sent.subList(0, sent.size() - 1);
        assertTrue(invites.stream().allMatch(s -> s.port() == GATEWAY && s.text().startsWith("INVITE ")), invites.toString());
        // Timer A doubles without a cap: T1, 2T1, .., 32T1 before Timer B at 64 T1
        assertTrue(invites.size() >= 5 && invites.size() <= 7, "INVITEs sent: " + invites.size());
        invites.forEach(s -> assertArrayEquals(invites.get(0).send().bytes(), s.send().bytes()));
        assertEquals(408, assertInstanceOf(CallState.Failed.class, call.getState()).status());
    }

    @Test
    void aNon2xxFinalToAUdpCallerIsSentAgainUntilItsAck() {
        var call = call("call-486");
        long t0 = System.nanoTime();
        call.runCommand(sip(invite("call-486")));
        assertTrue(next(t0).text().startsWith("SIP/2.0 100 Trying"));
        Sent fork = next(t0);
        assertEquals(GATEWAY, fork.port());
        SipMessage forwarded = parse(fork.send().bytes());

        call.runCommand(sip(busyFor(forwarded, "call-486")));
        // the ACK of the branch's 486 goes hop by hop to the gateway, the 486 up to the caller (skipping any
        // Timer A retransmission of the INVITE sent before the 486 arrived)
        List<Sent> first = new ArrayList<>();
        while (first.size() < 2) {
            Sent s = next(t0);
            if (!s.text().startsWith("INVITE ")) {
                first.add(s);
            }
        }
        Sent ack = first.stream().filter(s -> s.port() == GATEWAY).findFirst().orElseThrow();
        assertTrue(ack.text().startsWith("ACK "), ack.text());
        assertEquals(forwarded.vias().get(0).branch(), parse(ack.send().bytes()).vias().get(0).branch());
        Sent busy = first.stream().filter(s -> s.port() == CALLER).findFirst().orElseThrow();
        assertTrue(busy.text().startsWith("SIP/2.0 486 "), busy.text());

        // no ACK from the caller: Timer G sends it again at T1, 2T1, 4T1..
        List<Sent> again = collect(t0, Duration.ofMillis(400), s -> false);
        assertTrue(again.size() >= 2 && again.size() <= 4, "486 retransmissions in 400 ms: " + again.size());
        again.forEach(s -> assertArrayEquals(busy.send().bytes(), s.send().bytes()));
        assertTrue(again.stream().allMatch(s -> s.port() == CALLER));

        // a retransmitted INVITE gets the 486 again, and goes nowhere else
        call.runCommand(sip(invite("call-486")));
        Sent replayed = next(t0);
        assertEquals(CALLER, replayed.port());
        assertArrayEquals(busy.send().bytes(), replayed.send().bytes());

        // the ACK ends it: nothing more is sent, and the ACK itself goes no further
        SipMessage ours = parse(busy.send().bytes());
        call.runCommand(sip(ackFor(ours, "call-486")));
        transport.expectNoMessage(Duration.ofSeconds(1));
    }

    @Test
    void aReInviteIsSentAgainUntilAnsweredAndItsRejectionIsAcknowledgedHopByHopAndRelayed() {
        var call = answered("call-reinvite-488");
        long t0 = System.nanoTime();
        call.runCommand(sip(reInvite("call-reinvite-488")));
        Sent trying = next(t0);
        assertEquals(CALLER, trying.port());
        assertTrue(trying.text().startsWith("SIP/2.0 100 Trying"), trying.text());
        List<Sent> sent = collect(t0, Duration.ofMillis(300), s -> false);
        assertTrue(sent.stream().allMatch(s -> s.port() == GATEWAY && s.text().startsWith("INVITE ")), sent.toString());
        // sent at once, then Timer A at T1 and 3*T1: at least twice within 300 ms
        assertTrue(sent.size() >= 2, "re-INVITEs sent in 300 ms: " + sent.size());
        SipMessage forwarded = parse(sent.get(0).send().bytes());

        // a retransmission from the caller is absorbed (the 100 again), not forwarded a second time
        call.runCommand(sip(reInvite("call-reinvite-488")));
        Sent again = collect(t0, Duration.ofMillis(40), s -> s.port() == CALLER).stream()
                .filter(s -> s.port() == CALLER).findFirst().orElseThrow();
        assertTrue(again.text().startsWith("SIP/2.0 100 Trying"), again.text());

        call.runCommand(sip(finalFor(forwarded, "call-reinvite-488", "488 Not Acceptable Here")));
        List<Sent> answered = new ArrayList<>();
        while (answered.size() < 2) {
            Sent s = next(t0);
            if (!s.text().startsWith("INVITE ")) {
                answered.add(s);
            }
        }
        Sent ack = answered.stream().filter(s -> s.port() == GATEWAY).findFirst().orElseThrow();
        assertTrue(ack.text().startsWith("ACK "), ack.text());
        assertEquals(forwarded.vias().get(0).branch(), parse(ack.send().bytes()).vias().get(0).branch());
        Sent rejected = answered.stream().filter(s -> s.port() == CALLER).findFirst().orElseThrow();
        assertTrue(rejected.text().startsWith("SIP/2.0 488 "), rejected.text());
        assertEquals(1, parse(rejected.send().bytes()).vias().size(), "our Via popped");
        // the failed re-INVITE leaves the call as it was
        assertInstanceOf(CallState.Answered.class, call.getState());

        // until the caller's ACK, the 488 goes up again (Timer G); the ACK ends it here
        List<Sent> resent = collect(t0, Duration.ofMillis(200), s -> false);
        assertTrue(!resent.isEmpty() && resent.stream().allMatch(s -> s.port() == CALLER
                && s.text().startsWith("SIP/2.0 488 ")), resent.toString());
        call.runCommand(sip(reInviteAck("call-reinvite-488")));
        transport.expectNoMessage(Duration.ofMillis(600));
    }

    @Test
    void aReInviteNobodyAnswersGets408After64T1AndTheCallLivesOn() {
        var call = answered("call-reinvite-timeout");
        long t0 = System.nanoTime();
        call.runCommand(sip(reInvite("call-reinvite-timeout")));
        List<Sent> sent = collect(t0, Duration.ofSeconds(8), s -> s.port() == CALLER && s.text().startsWith("SIP/2.0 408"));
        Sent timeout = sent.get(sent.size() - 1);
        assertTrue(timeout.text().startsWith("SIP/2.0 408 "), timeout.text());
        assertTrue(timeout.atMillis() >= 64 * T1.toMillis() - 50, "408 after Timer B: " + timeout.atMillis());
        long invites = sent.stream().filter(s -> s.port() == GATEWAY && s.text().startsWith("INVITE ")).count();
        assertTrue(invites >= 5 && invites <= 7, "re-INVITEs sent: " + invites);
        assertInstanceOf(CallState.Answered.class, call.getState());
    }

    @Test
    void aReInviteAnswered2xxGoesUpAtOnce() {
        var call = answered("call-reinvite-ok");
        long t0 = System.nanoTime();
        call.runCommand(sip(reInvite("call-reinvite-ok")));
        assertTrue(next(t0).text().startsWith("SIP/2.0 100 Trying"));
        Sent fork = next(t0);
        assertEquals(GATEWAY, fork.port());
        call.runCommand(sip(finalFor(parse(fork.send().bytes()), "call-reinvite-ok", "200 OK")));
        Sent ok = collect(t0, Duration.ofSeconds(1), s -> s.port() == CALLER).stream()
                .filter(s -> s.port() == CALLER).findFirst().orElseThrow();
        assertTrue(ok.text().startsWith("SIP/2.0 200 OK"), ok.text());
        // answered: the re-INVITE is no longer sent downstream
        transport.expectNoMessage(Duration.ofMillis(400));
    }

    @Test
    void aRingingCallHandedOverToAnotherNodeIsAnsweredThere() {
        // spawned as sharding does, so that it can stop on the hand-off message and be recovered again
        String callId = "call-handed-over";
        var call = testKit.spawn(Call.create(callId, settings()));
        long t0 = System.nanoTime();
        call.tell(sip(invite(callId)));
        assertTrue(next(t0).text().startsWith("SIP/2.0 100 Trying"));
        SipMessage forwarded = parse(next(t0).send().bytes());
        call.tell(sip(finalFor(forwarded, callId, "180 Ringing")));
        Sent ringing = collect(t0, Duration.ofSeconds(1), s -> s.port() == CALLER).stream()
                .filter(s -> s.port() == CALLER).findFirst().orElseThrow();
        assertTrue(ringing.text().startsWith("SIP/2.0 180 "), ringing.text());

        // sharding moves the entity: it writes the ringing INVITE down, asks its transport to route the INVITE
        // again (to wake it on its new node), and stops
        TestProbe<Object> watcher = testKit.createTestProbe();
        call.tell(new CallTimers.HandOff());
        Redeliver wakeUp = (Redeliver) transport.receiveMessage(Duration.ofSeconds(3));
        assertEquals(invite(callId).split("\n")[0], new String(wakeUp.envelope().bytes(), StandardCharsets.UTF_8).split("\r\n")[0]);
        watcher.expectTerminated(call, Duration.ofSeconds(3));

        // the next incarnation goes on where the last one was: both sides have their provisional, nothing is resent,
        // and the INVITE that woke it is absorbed as a retransmission (no second call)
        var next = testKit.spawn(Call.create(callId, settings()));
        next.tell(new HandleSip(wakeUp.envelope()));
        transport.expectNoMessage(Duration.ofMillis(300));

        // the callee's answer, held back by sharding during the move, reaches the call on its new node
        next.tell(sip(finalFor(forwarded, callId, "200 OK")));
        Sent ok = collect(t0, Duration.ofSeconds(1), s -> s.port() == CALLER && s.text().startsWith("SIP/2.0 200"))
                .stream().filter(s -> s.port() == CALLER && s.text().startsWith("SIP/2.0 200")).findFirst().orElseThrow();
        assertEquals(1, parse(ok.send().bytes()).vias().size(), "relayed with our Via popped");

        // answered, and persisted so: a later incarnation hands nothing over and resends nothing
        next.tell(new CallTimers.HandOff());
        watcher.expectTerminated(next, Duration.ofSeconds(3));
        testKit.spawn(Call.create(callId, settings()));
        transport.expectNoMessage(Duration.ofMillis(500));
    }

    @Test
    void anAnsweredCallSleepsOnceItsTransactionIsOverAndItsByeWakesIt() {
        String callId = "call-sleeps";
        TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
        var call = testKit.spawn(Call.create(callId, settings(), Optional.of(shard.ref())));
        long t0 = System.nanoTime();
        call.tell(sip(invite(callId)));
        assertTrue(next(t0).text().startsWith("SIP/2.0 100 Trying"));
        SipMessage forwarded = parse(next(t0).send().bytes());
        call.tell(sip(finalFor(forwarded, callId, "200 OK")));
        collect(t0, Duration.ofSeconds(1), s -> s.port() == CALLER && s.text().startsWith("SIP/2.0 200"));

        // answered, no session timer: once the INVITE's retransmission window (64*T1) is over it asks to sleep
        shard.expectNoMessage(Duration.ofMillis(2500));
        var passivate = (ClusterSharding.Passivate<?>) shard.receiveMessage(Duration.ofSeconds(3));
        assertEquals(call, passivate.entity());
        TestProbe<Object> watcher = testKit.createTestProbe();
        call.tell(new CallTimers.HandOff());
        watcher.expectTerminated(call, Duration.ofSeconds(3));

        // the caller hangs up later: the BYE wakes the call from its journal and goes to the callee
        var awake = testKit.spawn(Call.create(callId, settings(), Optional.of(shard.ref())));
        awake.tell(sip(bye(callId).replace("bob@127.0.0.1:" + CALLEE, "carol@127.0.0.1:" + GATEWAY)
                .replace("<sip:bob@example.com>;tag=b1", "<sip:carol@other.net>;tag=c1")));
        Sent bye = next(t0);
        assertEquals(GATEWAY, bye.port());
        assertTrue(bye.text().startsWith("BYE "), bye.text());
    }

    /** A call to the gateway, answered, with every message of its setup consumed. */
    private EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> answered(String callId) {
        var call = call(callId);
        long t0 = System.nanoTime();
        call.runCommand(sip(invite(callId)));
        assertTrue(next(t0).text().startsWith("SIP/2.0 100 Trying"));
        SipMessage forwarded = parse(next(t0).send().bytes());
        call.runCommand(sip(finalFor(forwarded, callId, "200 OK")));
        collect(t0, Duration.ofSeconds(1), s -> s.port() == CALLER && s.text().startsWith("SIP/2.0 200"));
        assertInstanceOf(CallState.Answered.class, call.getState());
        transport.expectNoMessage(Duration.ofMillis(100));
        return call;
    }

    private static String reInvite(String callId) {
        return "INVITE sip:carol@127.0.0.1:" + GATEWAY + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=z9hG4bKre\n"
                + "Route: <sip:127.0.0.1:5060;lr>\nMax-Forwards: 70\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:carol@other.net>;tag=c1\n"
                + "Call-ID: " + callId + "\nCSeq: 2 INVITE\nContact: <sip:alice@127.0.0.1:" + CALLER + ">\n"
                + "Content-Length: 0\n";
    }

    private static String reInviteAck(String callId) {
        return "ACK sip:carol@127.0.0.1:" + GATEWAY + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=z9hG4bKre\n"
                + "Route: <sip:127.0.0.1:5060;lr>\nMax-Forwards: 70\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:carol@other.net>;tag=c1\n"
                + "Call-ID: " + callId + "\nCSeq: 2 ACK\nContent-Length: 0\n";
    }

    /** The gateway's final response to a forwarded INVITE or re-INVITE; a 2xx carries the route set and Contact. */
    private static String finalFor(SipMessage forwarded, String callId, String statusLine) {
        StringBuilder b = new StringBuilder("SIP/2.0 " + statusLine + "\n")
                .append("Via: ").append(String.join("\nVia: ", forwarded.headers("via"))).append("\n");
        forwarded.headers("record-route").forEach(rr -> b.append("Record-Route: ").append(rr).append("\n"));
        return b.append("From: <sip:alice@example.com>;tag=a1\nTo: <sip:carol@other.net>;tag=c1\n")
                .append("Call-ID: ").append(callId).append("\nCSeq: ").append(forwarded.header("cseq").orElseThrow())
                .append("\nContact: <sip:carol@127.0.0.1:").append(GATEWAY).append(">\nContent-Length: 0\n")
                .toString();
    }

    private EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call(String callId) {
        return EventSourcedBehaviorTestKit.create(testKit.system(), Call.create(callId, settings()));
    }

    private SessionSettings settings() {
        // example.com is ours (the caller's domain); other.net is reached through a gateway, so no registrar
        return new SessionSettings("127.0.0.1", 5060, "127.0.0.1", 5060, branches,
                Duration.ofSeconds(3), Clock.systemUTC(), Set.of("example.com"), false, List.of(),
                Map.of("*", "sip:127.0.0.1:" + GATEWAY), false, 3, 90, T1, Duration.ofSeconds(180), TransportLocator.NONE, overload);
    }

    private Sent next(long t0) {
        Send send = (Send) transport.receiveMessage(Duration.ofSeconds(3));
        return new Sent((System.nanoTime() - t0) / 1_000_000, send);
    }

    /** Everything sent for {@code window} after now, or up to and including the first message matching {@code last}. */
    private List<Sent> collect(long t0, Duration window, Predicate<Sent> last) {
        List<Sent> out = new ArrayList<>();
        long end = System.nanoTime() + window.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return out;
            }
            Optional<Send> send;
            try {
                send = Optional.of((Send) transport.receiveMessage(Duration.ofNanos(left)));
            } catch (AssertionError timeout) {
                return out; // the window closed with nothing more sent
            }
            Sent sent = new Sent((System.nanoTime() - t0) / 1_000_000, send.get());
            out.add(sent);
            if (last.test(sent)) {
                return out;
            }
        }
    }

    /** A BYE of a call whose state this entity does not hold: our Record-Route's token is what vouches for it. */
    private String bye(String callId) {
        return "BYE sip:bob@127.0.0.1:" + CALLEE + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=z9hG4bKbye\n"
                + "Route: <sip:127.0.0.1:5060;lr;sb=" + branches.dialogToken(callId, "a1") + ">\nMax-Forwards: 70\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:bob@example.com>;tag=b1\n"
                + "Call-ID: " + callId + "\nCSeq: 2 BYE\nContent-Length: 0\n";
    }

    private static String okFor(SipMessage forwardedBye, String callId) {
        return "SIP/2.0 200 OK\n"
                + "Via: " + forwardedBye.headers("via").get(0) + "\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=z9hG4bKbye\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:bob@example.com>;tag=b1\n"
                + "Call-ID: " + callId + "\nCSeq: 2 BYE\nContent-Length: 0\n";
    }

    private static String invite(String callId) {
        return "INVITE sip:carol@other.net SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=z9hG4bKinv\nMax-Forwards: 70\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:carol@other.net>\nCall-ID: " + callId + "\n"
                + "CSeq: 1 INVITE\nContact: <sip:alice@127.0.0.1:" + CALLER + ">\nContent-Length: 0\n";
    }

    private static String busyFor(SipMessage forwardedInvite, String callId) {
        return "SIP/2.0 486 Busy Here\n"
                + "Via: " + String.join("\nVia: ", forwardedInvite.headers("via")) + "\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:carol@other.net>;tag=c1\n"
                + "Call-ID: " + callId + "\nCSeq: 1 INVITE\nContent-Length: 0\n";
    }

    private static String ackFor(SipMessage ourFinal, String callId) {
        return "ACK sip:carol@other.net SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=z9hG4bKinv\nMax-Forwards: 70\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: " + ourFinal.header("to").orElseThrow() + "\n"
                + "Call-ID: " + callId + "\nCSeq: 1 ACK\nContent-Length: 0\n";
    }

    private static byte[] wire(String text) {
        return (text + "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private HandleSip sip(String text) {
        return new HandleSip(new Envelope(wire(text), SipTransport.UDP, new Peer("127.0.0.1", CALLER),
                new Peer("127.0.0.1", 5060), Optional.empty(), transport.ref()));
    }

    private static SipMessage parse(byte[] bytes) {
        return ((ParseResult.Parsed) SipParser.parse(bytes)).message();
    }
}
