package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.testkit.SipText.parse;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.LongStream;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.api.HandleSip;
import org.switchboard.sip.Branches;
import org.switchboard.sip.SipMessage;
import org.switchboard.testkit.EntityTestKit;
import org.switchboard.testkit.Envelopes;
import org.switchboard.testkit.SipText;
import org.switchboard.testkit.TransportProbe;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.TransportCommand;
import org.switchboard.transport.api.TransportLocator;
import org.switchboard.transport.overload.Overload;

import akka.actor.typed.ActorRef;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * What the Call entity's transaction tests share: an actor system in simulated time (Akka's ManualTime, T1 = 50 ms,
 * the entity's clock reading the same time), a call from alice@example.com through this proxy to a gateway for
 * other.net, the messages of that call written out as its parties send them, and the transport probe the entity
 * sends through, read step by step as time moves on.
 */
abstract class SimulatedCallTest {
    static final Duration T1 = Duration.ofMillis(50);
    static final int CALLER = 5070;
    static final int CALLEE = 5080;
    static final int GATEWAY = 5090;
    @RegisterExtension
    static final EntityTestKit testKit = EntityTestKit.simulatedTime("calls");
    final Branches branches = new Branches("test-secret");
    final TransportProbe transport = new TransportProbe(testKit.system());

    /** One message the entity sent, and when (simulated ms after the test's first request). */
    record Sent(long atMillis, Send send) {
        String text() {
            return SipText.text(send.bytes());
        }

        int port() {
            return send.destination().peer().port();
        }

        @Override
        public String toString() {
            return atMillis + " ms to " + port() + ": " + text().lines().findFirst().orElse("");
        }
    }

    /** A call to the gateway, answered, with every message of its setup consumed. */
    EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> answered(String callId) {
        var call = call(callId);
        long t0 = now();
        SipMessage forwarded = forwardInvite(callId, c -> call.runCommand(c), t0);
        relay(forwarded, callId, "200 OK", c -> call.runCommand(c), t0);
        assertInstanceOf(CallState.Answered.class, call.getState());
        transport.expectNothingSent();
        return call;
    }

    /** The caller's INVITE handed to the entity: the caller gets a 100 Trying, and the INVITE, returned, goes on. */
    SipMessage forwardInvite(String callId, Consumer<HandleSip> entity, long t0) {
        entity.accept(sip(invite(callId)));
        Sent trying = next(t0);
        assertEquals(CALLER, trying.port(), trying.text());
        assertTrue(trying.text().startsWith("SIP/2.0 100 Trying"), trying.text());
        Sent fork = next(t0);
        assertEquals(GATEWAY, fork.port(), fork.text());
        assertTrue(fork.text().startsWith("INVITE "), fork.text());
        return parse(fork.send().bytes());
    }

    /** The gateway's response ({@code statusLine}) to the forwarded INVITE, relayed up to the caller. */
    Sent relay(SipMessage forwarded, String callId, String statusLine, Consumer<HandleSip> entity, long t0) {
        entity.accept(sip(finalFor(forwarded, callId, statusLine)));
        Sent up = next(t0);
        assertEquals(CALLER, up.port(), up.text());
        assertTrue(up.text().startsWith("SIP/2.0 " + statusLine), up.text());
        return up;
    }

    /**
     * What a request nobody answers over UDP leaves: sent to {@code port} at once and again, the same bytes, at T1, 3T1,
     * 7T1 .. 63T1 (Timers A and E double, below T2 here), then at 64*T1 (Timers B and F) a 408 to the caller, returned.
     */
    Sent timedOut(List<Sent> sent, int port, String method) {
        Sent timeout = sent.get(sent.size() - 1);
        assertEquals(CALLER, timeout.port(), timeout.text());
        assertTrue(timeout.text().startsWith("SIP/2.0 408 "), timeout.text());
        assertEquals(64 * T1.toMillis(), timeout.atMillis(), "408 at Timer B or F");
        List<Sent> requests = sent.subList(0, sent.size() - 1);
        assertTrue(requests.stream().allMatch(s -> s.port() == port && s.text().startsWith(method + " ")),
                requests.toString());
        assertEquals(times(0, 1, 3, 7, 15, 31, 63), at(requests));
        requests.forEach(s -> assertArrayEquals(requests.get(0).send().bytes(), s.send().bytes()));
        return timeout;
    }

    // ---------------------------------------------------------------- simulated time

    static long now() {
        return testKit.time().clock().millis();
    }

    /** Instants {@code n * T1}, in ms. */
    static List<Long> times(long... multiplesOfT1) {
        return LongStream.of(multiplesOfT1).map(n -> n * T1.toMillis()).boxed().toList();
    }

    static List<Long> at(List<Sent> sent) {
        return sent.stream().map(Sent::atMillis).toList();
    }

    /**
     * Moves time on in steps of T1 (every timer here is a multiple of it), for at most {@code limit}, and returns what
     * was sent, stopping after the step in which a message matches {@code last}. After each step {@code barrier}
     * waits until the entity has handled the timers that fired, so what it sent is all there.
     */
    List<Sent> run(long t0, Runnable barrier, Duration limit, Predicate<Sent> last) {
        List<Sent> out = new ArrayList<>();
        for (long step = 0; step < limit.dividedBy(T1); step++) {
            testKit.time().advance(T1);
            barrier.run();
            List<Sent> sent = sentSoFar(t0);
            out.addAll(sent);
            if (sent.stream().anyMatch(last)) {
                return out;
            }
        }
        return out;
    }

    /**
     * Hands {@code request} to the call, then moves time on ({@link #run}): everything the call sent, from its
     * answer to the request on.
     */
    List<Sent> handle(EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call, long t0, String request,
                      Duration limit, Predicate<Sent> last) {
        call.runCommand(sip(request));
        List<Sent> sent = sentSoFar(t0);
        sent.addAll(run(t0, call, limit, last));
        return sent;
    }

    /** {@link #run} for an entity under the behaviour test kit: its {@code getState()} is the barrier. */
    List<Sent> run(long t0, EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call, Duration limit,
                           Predicate<Sent> last) {
        return run(t0, call::getState, limit, last);
    }

    /**
     * For an entity spawned as sharding does, which answers no barrier: Akka's pause for the dispatchers to clear,
     * before moving time and before checking that nothing was sent.
     */
    void settle() {
        testKit.time().settle();
    }

    /** Everything sent up to now (the entity is past its barrier), stamped with the present simulated testKit.time(). */
    List<Sent> sentSoFar(long t0) {
        long at = now() - t0;
        List<Sent> out = new ArrayList<>();
        for (TransportCommand c : transport.sentSoFar()) {
            out.add(new Sent(at, assertInstanceOf(Send.class, c)));
        }
        return out;
    }

    Sent next(long t0) {
        return new Sent(now() - t0, transport.nextSend());
    }

    // ---------------------------------------------------------------- the call and its messages

    EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call(String callId) {
        return EventSourcedBehaviorTestKit.create(testKit.system(), Call.create(callId, settings()));
    }

    SessionSettings settings() {
        return settings(Overload.NEVER);
    }

    SessionSettings settings(Overload overload) {
        return settings(branches, testKit.time().clock(), T1, TransportLocator.NONE, overload);
    }

    /**
     * The settings of the calls of these tests, for the Call entity tests in real time too: the proxy at
     * 127.0.0.1:5060, example.com ours (the caller's domain), other.net reached through the gateway, so no registrar.
     */
    static SessionSettings settings(Branches branches, Clock clock, Duration t1, TransportLocator transports,
                                    Overload overload) {
        return new SessionSettings("127.0.0.1", 5060, "127.0.0.1", 5060, branches,
                Duration.ofSeconds(3), clock, Set.of("example.com"), false, List.of(),
                Map.of("*", "sip:127.0.0.1:" + GATEWAY), false, 3, 90, t1, Duration.ofSeconds(180), transports, overload);
    }

    HandleSip sip(String text) {
        return sip(text, transport.ref());
    }

    /** A datagram from the caller's address, as the transport node hands it over, answered through {@code transport}. */
    static HandleSip sip(String text, ActorRef<TransportCommand> transport) {
        return new HandleSip(Envelopes.udp(text, new Peer("127.0.0.1", CALLER), transport));
    }

    static String reInvite(String callId) {
        return "INVITE sip:carol@127.0.0.1:" + GATEWAY + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=z9hG4bKre\n"
                + "Route: <sip:127.0.0.1:5060;lr>\nMax-Forwards: 70\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:carol@other.net>;tag=c1\n"
                + "Call-ID: " + callId + "\nCSeq: 2 INVITE\nContact: <sip:alice@127.0.0.1:" + CALLER + ">\n"
                + "Content-Length: 0\n";
    }

    static String reInviteAck(String callId) {
        return "ACK sip:carol@127.0.0.1:" + GATEWAY + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=z9hG4bKre\n"
                + "Route: <sip:127.0.0.1:5060;lr>\nMax-Forwards: 70\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:carol@other.net>;tag=c1\n"
                + "Call-ID: " + callId + "\nCSeq: 2 ACK\nContent-Length: 0\n";
    }

    /** The gateway's final response to a forwarded INVITE or re-INVITE; a 2xx carries the route set and Contact. */
    static String finalFor(SipMessage forwarded, String callId, String statusLine) {
        return finalFor(forwarded, callId, statusLine, "");
    }

    /** {@link #finalFor(SipMessage, String, String)} with more header lines ({@code Name: value\n} each). */
    static String finalFor(SipMessage forwarded, String callId, String statusLine, String extraHeaders) {
        StringBuilder b = new StringBuilder("SIP/2.0 " + statusLine + "\n")
                .append("Via: ").append(String.join("\nVia: ", forwarded.headers("via"))).append("\n");
        forwarded.headers("record-route").forEach(rr -> b.append("Record-Route: ").append(rr).append("\n"));
        return b.append("From: <sip:alice@example.com>;tag=a1\nTo: <sip:carol@other.net>;tag=c1\n")
                .append("Call-ID: ").append(callId).append("\nCSeq: ").append(forwarded.header("cseq").orElseThrow())
                .append("\nContact: <sip:carol@127.0.0.1:").append(GATEWAY).append(">\n").append(extraHeaders)
                .append("Content-Length: 0\n").toString();
    }

    /** A BYE of a call whose state this entity does not hold: our Record-Route's token is what vouches for it. */
    String bye(String callId) {
        return "BYE sip:bob@127.0.0.1:" + CALLEE + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=z9hG4bKbye\n"
                + "Route: <sip:127.0.0.1:5060;lr;sb=" + branches.dialogToken(callId, "a1") + ">\nMax-Forwards: 70\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:bob@example.com>;tag=b1\n"
                + "Call-ID: " + callId + "\nCSeq: 2 BYE\nContent-Length: 0\n";
    }

    static String okFor(SipMessage forwardedBye, String callId) {
        return "SIP/2.0 200 OK\n"
                + "Via: " + forwardedBye.headers("via").get(0) + "\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=z9hG4bKbye\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:bob@example.com>;tag=b1\n"
                + "Call-ID: " + callId + "\nCSeq: 2 BYE\nContent-Length: 0\n";
    }

    static String invite(String callId) {
        return "INVITE sip:carol@other.net SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=z9hG4bKinv\nMax-Forwards: 70\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:carol@other.net>\nCall-ID: " + callId + "\n"
                + "CSeq: 1 INVITE\nContact: <sip:alice@127.0.0.1:" + CALLER + ">\nContent-Length: 0\n";
    }

    static String busyFor(SipMessage forwardedInvite, String callId) {
        return "SIP/2.0 486 Busy Here\n"
                + "Via: " + String.join("\nVia: ", forwardedInvite.headers("via")) + "\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: <sip:carol@other.net>;tag=c1\n"
                + "Call-ID: " + callId + "\nCSeq: 1 INVITE\nContent-Length: 0\n";
    }

    static String ackFor(SipMessage ourFinal, String callId) {
        return "ACK sip:carol@other.net SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=z9hG4bKinv\nMax-Forwards: 70\n"
                + "From: <sip:alice@example.com>;tag=a1\nTo: " + ourFinal.header("to").orElseThrow() + "\n"
                + "Call-ID: " + callId + "\nCSeq: 1 ACK\nContent-Length: 0\n";
    }
}
