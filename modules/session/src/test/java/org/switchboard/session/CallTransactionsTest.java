package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.testkit.SipText.parse;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.switchboard.session.api.CallAdminCommand;
import org.switchboard.session.api.CallCommand;
import org.switchboard.sip.SipMessage;
import org.switchboard.transport.overload.Overload;

import akka.Done;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * The Call entity drives the RFC 3261 §17 transaction machines: requests it forwards over UDP are sent again
 * (Timers A and E) until answered, and time out after 64*T1 (Timers B and F); a non-2xx final to a UDP caller is
 * sent again (Timer G) until the caller's ACK. T1 is 50 ms here, so 64*T1 is 3.2 s — of simulated time: the timers
 * fire when the test moves Akka's ManualTime on, in steps of T1, and the entity's clock reads the same time, so each
 * retransmission is checked at its instant whatever the load of the machine.
 */
class CallTransactionsTest extends SimulatedCallTest {
    @Test
    void aForwardedByeIsSentAgainUntilItsResponseWhichIsReplayedToARetransmittedBye() {
        var call = call("call-bye-ok");
        long t0 = now();
        List<Sent> byes = handle(call, t0, bye("call-bye-ok"), Duration.ofMillis(500), s -> false);
        assertTrue(byes.stream().allMatch(s -> s.port() == CALLEE && s.text().startsWith("BYE ")), byes.toString());
        // sent at 0, then Timer E at T1, 3*T1 and 7*T1 (intervals doubling): 4 within 500 ms
        assertEquals(times(0, 1, 3, 7), at(byes));
        byes.forEach(s -> assertArrayEquals(byes.get(0).send().bytes(), s.send().bytes()));

        SipMessage forwarded = parse(byes.get(0).send().bytes());
        var ok = call.runCommand(sip(okFor(forwarded, "call-bye-ok")));
        assertInstanceOf(CallEvent.CallEnded.class, ok.event());
        Sent relayed = next(t0);
        assertEquals(CALLER, relayed.port());
        assertTrue(relayed.text().startsWith("SIP/2.0 200 OK"), relayed.text());
        assertEquals(List.of(), run(t0, call, Duration.ofMillis(400), s -> false), "answered: no more retransmissions");

        // the caller did not get our 200 and sends its BYE again: the same transaction answers it, nothing goes down
        call.runCommand(sip(bye("call-bye-ok")));
        Sent replayed = next(t0);
        assertEquals(CALLER, replayed.port(), replayed.text());
        assertArrayEquals(relayed.send().bytes(), replayed.send().bytes());
        assertEquals(List.of(), run(t0, call, Duration.ofMillis(200), s -> false));
    }

    @Test
    void aForwardedByeNobodyAnswersIsSentAgainThenTheCallerGets408After64T1() {
        var call = call("call-bye-timeout");
        long t0 = now();
        List<Sent> sent = handle(call, t0, bye("call-bye-timeout"), Duration.ofSeconds(8), s -> s.port() == CALLER);
        // Timer E: T1, 2T1, 4T1, 8T1, 16T1, 32T1 (below T2) before Timer F at 64 T1
        Sent timeout = timedOut(sent, CALLEE, "BYE");
        assertTrue(timeout.text().startsWith("SIP/2.0 408 Request Timeout"), timeout.text());
        assertEquals("z9hG4bKbye", parse(timeout.send().bytes()).vias().get(0).branch().orElseThrow());
        // RFC 3261 §15.1.2: a BYE that timed out ends the session all the same
        assertInstanceOf(CallState.Ended.class, call.getState());
        assertEquals(List.of(), run(t0, call, Duration.ofMillis(300), s -> false));
    }

    @Test
    void anOverloadedNodeRefusesNewCallsWith503ButServesTheDialogsItHas() {
        var call = answered("call-overload-old");
        Overload overload = new Overload(Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(60), Duration.ZERO, 7,
                testKit.time().clock());
        overload.startMeasuring();
        for (int tick = 0; tick < 20; tick++) { // every tick late for 2 s: the share taken falls to nothing
            overload.dispatcherLag(Duration.ofMillis(400).toNanos());
        }
        var fresh = EventSourcedBehaviorTestKit.create(testKit.system(), Call.create("call-overload-new", settings(overload)));
        var result = fresh.runCommand(sip(invite("call-overload-new")));
        assertTrue(result.events().isEmpty());
        Sent shed = next(now());
        assertEquals(CALLER, shed.port());
        assertTrue(shed.text().startsWith("SIP/2.0 503 "), shed.text());
        assertEquals("7", parse(shed.send().bytes()).header("retry-after").orElseThrow());
        transport.expectNothingSent(); // nothing went to the gateway

        // the call set up before goes on: its BYE is forwarded
        call.runCommand(sip(bye("call-overload-old").replace("bob@127.0.0.1:" + CALLEE, "carol@127.0.0.1:" + GATEWAY)
                .replace("tag=b1", "tag=c1").replace("bob@example.com", "carol@other.net")));
        Sent bye = next(now());
        assertEquals(GATEWAY, bye.port(), bye.text());
        assertTrue(bye.text().startsWith("BYE "), bye.text());
    }

    @Test
    void theOperatorHangsUpAnAnsweredCallWithAByeToEachSideAndOnlyAnAnsweredOne() {
        var call = answered("call-hung-up");
        var result = call.<StatusReply<Done>>runCommand(CallAdminCommand.HangUp::new);
        assertTrue(result.reply().isSuccess());
        var ended = assertInstanceOf(CallEvent.CallEnded.class, result.events().get(0));
        assertEquals(List.of(new CallEvent.CallEnded("ended by the operator", now(), "operator", ended.node())), result.events());
        List<Sent> byes = List.of(next(now()), next(now()));
        assertEquals(java.util.Set.of(GATEWAY, CALLER), java.util.Set.of(byes.get(0).port(), byes.get(1).port()));
        for (Sent bye : byes) {
            assertTrue(bye.text().startsWith("BYE "), bye.text());
            assertEquals("Q.850;cause=16;text=\"ended by the operator\"",
                    parse(bye.send().bytes()).header("reason").orElseThrow(), "an ordinary clearing, not a failure");
        }
        var again = call.<StatusReply<Done>>runCommand(CallAdminCommand.HangUp::new);
        assertTrue(again.reply().isError(), "an ended call is not up");
        assertTrue(again.events().isEmpty());
        assertEquals("ended", call.<org.switchboard.session.api.CallView>runCommand(CallAdminCommand.Describe::new)
                .reply().state());

        var unknown = call("call-never-seen");
        assertTrue(unknown.<StatusReply<Done>>runCommand(CallAdminCommand.HangUp::new).reply().isError());
        assertEquals("setup", unknown.<org.switchboard.session.api.CallView>runCommand(CallAdminCommand.Describe::new)
                .reply().state());
        transport.expectNothingSent();
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
                Sent answer = next(now());
                assertEquals(CALLER, answer.port(), method + " with '" + route + "' went to " + answer.text());
                assertTrue(answer.text().startsWith("SIP/2.0 481 "), answer.text());
            }
        }
        transport.expectNothingSent();
    }

    @Test
    void aForkNobodyAnswersIsSentAgainAndTimesOutLikeA408() {
        var call = call("call-fork-timeout");
        long t0 = now();
        List<Sent> sent = handle(call, t0, invite("call-fork-timeout"), Duration.ofSeconds(8),
                s -> s.port() == CALLER && !s.text().startsWith("SIP/2.0 100 "));
        Sent trying = sent.remove(0);
        assertEquals(CALLER, trying.port());
        assertTrue(trying.text().startsWith("SIP/2.0 100 Trying"), trying.text());
        assertEquals(0, trying.atMillis(), "100 Trying at once, before the INVITE goes anywhere");
        // Timer A doubles without a cap: T1, 2T1, .., 32T1 before Timer B at 64 T1
        timedOut(sent, GATEWAY, "INVITE");
        assertEquals(408, assertInstanceOf(CallState.Failed.class, call.getState()).status());
    }

    @Test
    void aNon2xxFinalToAUdpCallerIsSentAgainUntilItsAck() {
        var call = call("call-486");
        long t0 = now();
        SipMessage forwarded = forwardInvite("call-486", c -> call.runCommand(c), t0);

        // the ACK of the branch's 486 goes hop by hop to the gateway, the 486 up to the caller (time has not moved:
        // no Timer A retransmission of the INVITE came before)
        Sent busy = rejected(call, t0, forwarded, busyFor(forwarded, "call-486"), 486);

        // no ACK from the caller: Timer G sends it again at T1, 2T1, 4T1..
        List<Sent> again = run(t0, call, Duration.ofMillis(400), s -> false);
        assertEquals(times(1, 3, 7), at(again), "486 retransmissions in 400 ms");
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
        assertEquals(List.of(), run(t0, call, Duration.ofSeconds(1), s -> false));
    }

    @Test
    void aReInviteIsSentAgainUntilAnsweredAndItsRejectionIsAcknowledgedHopByHopAndRelayed() {
        var call = answered("call-reinvite-488");
        long t0 = now();
        List<Sent> sent = handle(call, t0, reInvite("call-reinvite-488"), Duration.ofMillis(300), s -> false);
        Sent trying = sent.remove(0);
        assertEquals(CALLER, trying.port());
        assertTrue(trying.text().startsWith("SIP/2.0 100 Trying"), trying.text());
        assertTrue(sent.stream().allMatch(s -> s.port() == GATEWAY && s.text().startsWith("INVITE ")), sent.toString());
        // sent at once, then Timer A at T1 and 3*T1: three times within 300 ms
        assertEquals(times(0, 1, 3), at(sent), "re-INVITEs sent in 300 ms");
        SipMessage forwarded = parse(sent.get(0).send().bytes());

        // a retransmission from the caller is absorbed (the 100 again), not forwarded a second time
        call.runCommand(sip(reInvite("call-reinvite-488")));
        List<Sent> absorbed = sentSoFar(t0);
        assertEquals(1, absorbed.size(), absorbed.toString());
        assertEquals(CALLER, absorbed.get(0).port());
        assertTrue(absorbed.get(0).text().startsWith("SIP/2.0 100 Trying"), absorbed.get(0).text());

        Sent rejected = rejected(call, t0, forwarded, finalFor(forwarded, "call-reinvite-488", "488 Not Acceptable Here"),
                488);
        assertEquals(1, parse(rejected.send().bytes()).vias().size(), "our Via popped");
        // the failed re-INVITE leaves the call as it was
        assertInstanceOf(CallState.Answered.class, call.getState());

        // until the caller's ACK, the 488 goes up again (Timer G, from the 488 at 300 ms); the ACK ends it here
        List<Sent> resent = run(t0, call, Duration.ofMillis(200), s -> false);
        assertTrue(resent.stream().allMatch(s -> s.port() == CALLER && s.text().startsWith("SIP/2.0 488 ")),
                resent.toString());
        assertEquals(times(7, 9), at(resent));
        call.runCommand(sip(reInviteAck("call-reinvite-488")));
        assertEquals(List.of(), run(t0, call, Duration.ofMillis(600), s -> false));
    }

    @Test
    void aReInviteNobodyAnswersGets408After64T1AndTheCallLivesOn() {
        var call = answered("call-reinvite-timeout");
        long t0 = now();
        List<Sent> sent = handle(call, t0, reInvite("call-reinvite-timeout"), Duration.ofSeconds(8),
                s -> s.port() == CALLER && s.text().startsWith("SIP/2.0 408"));
        Sent trying = sent.remove(0);
        assertTrue(trying.port() == CALLER && trying.text().startsWith("SIP/2.0 100 Trying"), trying.text());
        timedOut(sent, GATEWAY, "INVITE");
        assertInstanceOf(CallState.Answered.class, call.getState());
    }

    @Test
    void aReInviteAnswered2xxGoesUpAtOnce() {
        var call = answered("call-reinvite-ok");
        long t0 = now();
        call.runCommand(sip(reInvite("call-reinvite-ok")));
        assertTrue(next(t0).text().startsWith("SIP/2.0 100 Trying"));
        Sent fork = next(t0);
        assertEquals(GATEWAY, fork.port());
        call.runCommand(sip(finalFor(parse(fork.send().bytes()), "call-reinvite-ok", "200 OK")));
        Sent ok = next(t0);
        assertEquals(CALLER, ok.port(), ok.text());
        assertTrue(ok.text().startsWith("SIP/2.0 200 OK"), ok.text());
        assertEquals(0, ok.atMillis(), "at once");
        // answered: the re-INVITE is no longer sent downstream
        assertEquals(List.of(), run(t0, call, Duration.ofMillis(400), s -> false));
    }

    /**
     * The gateway's rejection of a forwarded INVITE handed to the call: the ACK goes hop by hop to the gateway on the
     * INVITE's branch, the rejection up to the caller (returned), and nothing else.
     */
    private Sent rejected(EventSourcedBehaviorTestKit<CallCommand, CallEvent, CallState> call, long t0,
                          SipMessage forwarded, String rejection, int status) {
        call.runCommand(sip(rejection));
        List<Sent> sent = sentSoFar(t0);
        assertEquals(2, sent.size(), sent.toString());
        Sent ack = sent.stream().filter(s -> s.port() == GATEWAY).findFirst().orElseThrow();
        assertTrue(ack.text().startsWith("ACK "), ack.text());
        assertEquals(forwarded.vias().get(0).branch(), parse(ack.send().bytes()).vias().get(0).branch());
        Sent up = sent.stream().filter(s -> s.port() == CALLER).findFirst().orElseThrow();
        assertTrue(up.text().startsWith("SIP/2.0 " + status + " "), up.text());
        return up;
    }
}
