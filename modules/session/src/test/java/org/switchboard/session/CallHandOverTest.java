package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.testkit.SipText.parse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.api.HandleSip;
import org.switchboard.sip.SipMessage;
import org.switchboard.testkit.TransportProbe;
import org.switchboard.transport.api.Redeliver;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The Call entity spawned as sharding runs it, in simulated time: handed over to another node while its INVITE
 * rings, and asked to sleep once an answered call has nothing left to time.
 */
class CallHandOverTest extends SimulatedCallTest {
    @Test
    void aRingingCallHandedOverToAnotherNodeIsAnsweredThere() {
        // spawned as sharding does, so that it can stop on the hand-off message and be recovered again
        String callId = "call-handed-over";
        var call = testKit.spawn(Call.create(callId, settings()));
        long t0 = now();
        SipMessage forwarded = forwardInvite(callId, call::tell, t0);
        relay(forwarded, callId, "180 Ringing", call::tell, t0);

        // sharding moves the entity: it writes the ringing INVITE down, asks its transport to route the INVITE
        // again (to wake it on its new node), and stops
        TestProbe<Object> watcher = testKit.createTestProbe();
        call.tell(new CallTimers.HandOff());
        Redeliver wakeUp = (Redeliver) transport.next();
        assertEquals(invite(callId).split("\n")[0], new String(wakeUp.envelope().bytes(), StandardCharsets.UTF_8).split("\r\n")[0]);
        watcher.expectTerminated(call, TransportProbe.DEADLINE);

        // the next incarnation goes on where the last one was: both sides have their provisional, nothing is resent
        // (neither the INVITE by Timer A nor a provisional), and the INVITE that woke it is absorbed as a
        // retransmission (no second call)
        var next = testKit.spawn(Call.create(callId, settings()));
        next.tell(new HandleSip(wakeUp.envelope()));
        settle();
        assertEquals(List.of(), run(t0, this::settle, Duration.ofMillis(300), s -> false));

        // the callee's answer, held back by sharding during the move, reaches the call on its new node
        Sent ok = relay(forwarded, callId, "200 OK", next::tell, t0);
        assertEquals(1, parse(ok.send().bytes()).vias().size(), "relayed with our Via popped");

        // answered, and persisted so: a later incarnation hands nothing over and resends nothing
        next.tell(new CallTimers.HandOff());
        watcher.expectTerminated(next, TransportProbe.DEADLINE);
        testKit.spawn(Call.create(callId, settings()));
        settle();
        assertEquals(List.of(), run(t0, this::settle, Duration.ofMillis(500), s -> false));
    }

    @Test
    void anAnsweredCallSleepsOnceItsTransactionIsOverAndItsByeWakesIt() {
        String callId = "call-sleeps";
        TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
        var call = testKit.spawn(Call.create(callId, settings(), Optional.of(shard.ref())));
        long t0 = now();
        relay(forwardInvite(callId, call::tell, t0), callId, "200 OK", call::tell, t0);

        // answered, no session timer: once the INVITE's retransmission window (64*T1) is over it asks to sleep
        settle();
        testKit.time().advance(T1.multipliedBy(63));
        settle();
        shard.expectNoMessage(Duration.ZERO);
        testKit.time().advance(T1);
        var passivate = (ClusterSharding.Passivate<?>) shard.receiveMessage(TransportProbe.DEADLINE);
        assertEquals(call, passivate.entity());
        TestProbe<Object> watcher = testKit.createTestProbe();
        call.tell(new CallTimers.HandOff());
        watcher.expectTerminated(call, TransportProbe.DEADLINE);

        // the caller hangs up later: the BYE wakes the call from its journal and goes to the callee
        var awake = testKit.spawn(Call.create(callId, settings(), Optional.of(shard.ref())));
        awake.tell(sip(bye(callId).replace("bob@127.0.0.1:" + CALLEE, "carol@127.0.0.1:" + GATEWAY)
                .replace("<sip:bob@example.com>;tag=b1", "<sip:carol@other.net>;tag=c1")));
        Sent bye = next(t0);
        assertEquals(GATEWAY, bye.port());
        assertTrue(bye.text().startsWith("BYE "), bye.text());
    }

    @Test
    void aStrayAckOrAStrangersByeLetsTheEntityItWokeGoAtOnce() {
        // the ACK of a 503 another node's edge sent: the entity it wakes holds nothing and goes at once
        String callId = "call-stray-ack";
        TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
        var woken = testKit.spawn(Call.create(callId, settings(), Optional.of(shard.ref())));
        woken.tell(sip("ACK sip:carol@other.net SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=z9hG4bKinv\n"
                + "Max-Forwards: 70\nFrom: <sip:alice@example.com>;tag=a1\nTo: <sip:carol@other.net>;tag=sbr0123\n"
                + "Call-ID: " + callId + "\nCSeq: 1 ACK\nContent-Length: 0\n"));
        assertEquals(woken, ((ClusterSharding.Passivate<?>) shard.receiveMessage(TransportProbe.DEADLINE)).entity());
        transport.expectNothingSent();

        // a BYE whose Record-Route token is forged: 481, and the entity goes too
        String strangers = "call-stray-bye";
        var other = testKit.spawn(Call.create(strangers, settings(), Optional.of(shard.ref())));
        other.tell(sip(bye(strangers).replace(branches.dialogToken(strangers, "a1"), "forged")));
        assertTrue(next(now()).text().startsWith("SIP/2.0 481 "));
        assertEquals(other, ((ClusterSharding.Passivate<?>) shard.receiveMessage(TransportProbe.DEADLINE)).entity());
    }

    @Test
    void anEndedCallSleepsAsSoonAsItsByeIsAnsweredAndARetransmittedByeStillGetsItsAnswer() {
        String callId = "call-ended-sleeps";
        // the caller hangs up at once; the callee's 200 is relayed and the call has ended
        HangingUp h = hangingUp(callId);
        Sent bye = h.bye();
        assertEquals(GATEWAY, bye.port());
        h.shard().expectNoMessage(Duration.ZERO);
        h.call().tell(sip(toGateway(okFor(parse(bye.send().bytes()), callId))));
        Sent ok = next(h.t0());
        assertTrue(ok.text().startsWith("SIP/2.0 200 OK"), ok.text());
        assertTrue(ok.text().contains("CSeq: 2 BYE"), ok.text());

        // nothing of the call is kept in memory: neither the INVITE's 64*T1 nor the BYE's Timer K is waited for
        var passivate = (ClusterSharding.Passivate<?>) h.shard().receiveMessage(TransportProbe.DEADLINE);
        assertEquals(h.call(), passivate.entity());
        TestProbe<Object> watcher = testKit.createTestProbe();
        h.call().tell(new CallTimers.HandOff());
        watcher.expectTerminated(h.call(), TransportProbe.DEADLINE);

        // the 200 was lost: the caller's retransmitted BYE wakes the call, goes to the callee again under our
        // Record-Route, and the callee's answer goes back up by its Via
        var awake = testKit.spawn(Call.create(callId, settings(), Optional.of(h.shard().ref())));
        awake.tell(sip(toGateway(bye(callId))));
        Sent again = next(h.t0());
        assertEquals(GATEWAY, again.port());
        assertTrue(again.text().startsWith("BYE "), again.text());
        awake.tell(sip(toGateway(okFor(parse(again.send().bytes()), callId))));
        Sent okAgain = next(h.t0());
        assertEquals(CALLER, okAgain.port());
        assertTrue(okAgain.text().startsWith("SIP/2.0 200 OK"), okAgain.text());
        assertTrue(okAgain.text().contains("CSeq: 2 BYE"), okAgain.text());
    }

    @Test
    void anEndedCallWhoseByeWasRetransmittedKeepsItsTransactionForTimerK() {
        String callId = "call-ended-slowly";
        // the callee is slow: the caller sends its BYE again before the answer comes
        HangingUp h = hangingUp(callId);
        Sent bye = h.bye();
        settle();
        h.call().tell(sip(toGateway(bye(callId))));
        settle();
        h.call().tell(sip(toGateway(okFor(parse(bye.send().bytes()), callId))));
        Sent ok = next(h.t0());
        assertTrue(ok.text().startsWith("SIP/2.0 200 OK"), ok.text());

        // more copies of that BYE may be on the way: the transaction answers them, the call stays awake for T4
        settle();
        h.shard().expectNoMessage(Duration.ZERO);
        assertCopyOfByeAnsweredByItsTransaction(h, callId);
        testKit.time().advance(Duration.ofSeconds(4));
        settle();
        h.shard().expectNoMessage(Duration.ZERO);
        testKit.time().advance(Duration.ofSeconds(1));
        assertPassivates(h);
    }

    @Test
    void anEndedCallWhoseByeWasAnsweredLateKeepsItsTransactionForTimerK() {
        String callId = "call-ended-late";
        // the callee answers the BYE only after T1/2: the caller's Timer E may have sent a copy that is on its way
        HangingUp h = hangingUp(callId);
        Sent bye = h.bye();
        settle();
        testKit.time().advance(T1.dividedBy(2));
        settle();
        h.call().tell(sip(toGateway(okFor(parse(bye.send().bytes()), callId))));
        Sent ok = next(h.t0());
        assertTrue(ok.text().startsWith("SIP/2.0 200 OK"), ok.text());
        settle();
        h.shard().expectNoMessage(Duration.ZERO);

        // that copy arrives and gets the 200 from the transaction, without a journal read
        assertCopyOfByeAnsweredByItsTransaction(h, callId);
        testKit.time().advance(Duration.ofSeconds(5));
        assertPassivates(h);
    }

    /** An answered call, spawned as sharding runs it, whose caller has just sent its BYE (forwarded: {@code bye}). */
    private record HangingUp(ActorRef<CallCommand> call, TestProbe<ClusterSharding.ShardCommand> shard, long t0, Sent bye) {
    }

    private HangingUp hangingUp(String callId) {
        TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
        var call = testKit.spawn(Call.create(callId, settings(), Optional.of(shard.ref())));
        long t0 = now();
        relay(forwardInvite(callId, call::tell, t0), callId, "200 OK", call::tell, t0);
        call.tell(sip(toGateway(bye(callId))));
        return new HangingUp(call, shard, t0, next(t0));
    }

    /** A copy of the caller's BYE gets the callee's 200 again from the BYE's transaction, without a journal read. */
    private void assertCopyOfByeAnsweredByItsTransaction(HangingUp h, String callId) {
        h.call().tell(sip(toGateway(bye(callId))));
        Sent replayed = next(h.t0());
        assertEquals(CALLER, replayed.port());
        assertTrue(replayed.text().startsWith("SIP/2.0 200 OK"), replayed.text());
    }

    private static void assertPassivates(HangingUp h) {
        var passivate = (ClusterSharding.Passivate<?>) h.shard().receiveMessage(TransportProbe.DEADLINE);
        assertEquals(h.call(), passivate.entity());
    }

    /** A message of the dialog {@link #forwardInvite} set up with the gateway (carol), rather than with bob. */
    private static String toGateway(String message) {
        return message.replace("bob@127.0.0.1:" + CALLEE, "carol@127.0.0.1:" + GATEWAY)
                .replace("<sip:bob@example.com>;tag=b1", "<sip:carol@other.net>;tag=c1");
    }
}
