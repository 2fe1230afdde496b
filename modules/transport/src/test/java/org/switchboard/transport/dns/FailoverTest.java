package org.switchboard.transport.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.transport.api.SipTransport;

/** RFC 3263 §4.3 decisions: which target a request, its retransmissions, ACK and CANCEL go to, and when to move on. */
class FailoverTest {
    private static final Failover.Key KEY = new Failover.Key("z9hG4bKsb1", "call-1");
    private static final Target GW1 = udp("127.0.0.41");
    private static final Target GW2 = udp("127.0.0.42");
    private static final Target GW3 = udp("127.0.0.43");
    private static final byte[] INVITE = "INVITE".getBytes(StandardCharsets.US_ASCII);

    private final DeadTargets dead = new DeadTargets(Duration.ofSeconds(30));
    private final Failover failover = new Failover(dead, Duration.ofMinutes(4), 100);

    private static Target udp(String ip) {
        return new Target(SipTransport.UDP, new InetSocketAddress(ip, 5060));
    }

    private Failover.SendTo only(List<Failover.Effect> effects) {
        assertEquals(1, effects.size(), effects.toString());
        return assertInstanceOf(Failover.SendTo.class, effects.get(0));
    }

    private Failover.SendTo started(List<Target> targets) {
        assertEquals(List.of(new Failover.Resolve(Optional.of(KEY))),
                failover.request(Optional.of(KEY), "INVITE", INVITE, 0));
        assertTrue(failover.isTracked(KEY));
        return only(failover.resolved(KEY, targets, 10));
    }

    @Test
    void theFirstTargetGetsTheRequestAndItsRetransmissionsWithAFailoverTimerOverUdp() {
        Failover.SendTo first = started(List.of(GW1, GW2));
        assertEquals(GW1, first.target());
        assertTrue(first.armTimer());
        Failover.SendTo again = only(failover.request(Optional.of(KEY), "INVITE", INVITE, 500));
        assertEquals(GW1, again.target());
        assertFalse(again.armTimer(), "a retransmission does not start another timer");
    }

    @Test
    void aRetransmissionWhileTheLookupRunsIsNotSentTwice() {
        failover.request(Optional.of(KEY), "INVITE", INVITE, 0);
        assertEquals(List.of(), failover.request(Optional.of(KEY), "INVITE", INVITE, 500));
    }

    @Test
    void a503FromATargetThatIsNotTheLastIsAckedAbsorbedAndTheNextTargetGetsTheRequest() {
        started(List.of(GW1, GW2));
        assertFalse(failover.response(KEY, 100, "INVITE", GW1.address(), 20).absorbed(), "100 Trying goes on");
        Failover.Verdict v = failover.response(KEY, 503, "INVITE", GW1.address(), 30);
        assertTrue(v.absorbed());
        assertEquals(2, v.effects().size());
        Failover.AckTo ack = assertInstanceOf(Failover.AckTo.class, v.effects().get(0));
        assertEquals(GW1, ack.target());
        Failover.SendTo next = assertInstanceOf(Failover.SendTo.class, v.effects().get(1));
        assertEquals(GW2, next.target());
        assertArrayEquals(INVITE, next.bytes());
        assertTrue(dead.isDead(GW1, 31));

        assertEquals(GW2, only(failover.request(Optional.of(KEY), "CANCEL", "CANCEL".getBytes(), 40)).target(),
                "a CANCEL follows the INVITE to where it is now");
        assertFalse(failover.response(KEY, 503, "INVITE", GW2.address(), 50).absorbed(),
                "the last target's 503 is the answer");
    }

    @Test
    void a503RetransmittedByATargetGivenUpIsAckedAgain() {
        started(List.of(GW1, GW2));
        failover.response(KEY, 503, "INVITE", GW1.address(), 30);
        Failover.Verdict again = failover.response(KEY, 503, "INVITE", GW1.address(), 40);
        assertTrue(again.absorbed());
        assertEquals(List.of(GW1), again.effects().stream().map(e -> ((Failover.AckTo) e).target()).toList());
    }

    @Test
    void aResponseToTheCancelIsNotTheInvites() {
        started(List.of(GW1, GW2));
        assertFalse(failover.response(KEY, 503, "CANCEL", GW1.address(), 30).absorbed());
    }

    @Test
    void silenceUntilTheTimeoutMovesOnButAnyResponseKeepsTheTarget() {
        Failover.SendTo first = started(List.of(GW1, GW2, GW3));
        Failover.SendTo second = only(failover.timedOut(KEY, first.attempt(), 4010));
        assertEquals(GW2, second.target());
        assertTrue(second.armTimer());
        assertEquals(List.of(), failover.timedOut(KEY, first.attempt(), 4020), "a stale timer does nothing");
        failover.response(KEY, 180, "INVITE", GW2.address(), 5000);
        assertEquals(List.of(), failover.timedOut(KEY, second.attempt(), 8010), "it answered: no failover");
    }

    @Test
    void theLastTargetIsNotGivenUpOnSilenceTheTransactionTimesOutThere() {
        Failover.SendTo only = started(List.of(GW1));
        assertEquals(List.of(), failover.timedOut(KEY, only.attempt(), 5000));
    }

    @Test
    void aSendFailureMovesOnAtOnceAndOnTheLastTargetGivesUp() {
        Failover.SendTo first = started(List.of(GW1, GW2));
        Failover.SendTo second = only(failover.sendFailed(KEY, first.attempt(), 20));
        assertEquals(GW2, second.target());
        List<Failover.Effect> end = failover.sendFailed(KEY, second.attempt(), 30);
        assertInstanceOf(Failover.GiveUp.class, end.get(0));
        assertFalse(failover.isTracked(KEY));
    }

    @Test
    void deadTargetsAreTriedLastUntilTheirTimeIsUp() {
        dead.markDead(GW1, 0);
        assertEquals(List.of(GW2, GW3, GW1), dead.liveFirst(List.of(GW1, GW2, GW3), 29_999));
        assertEquals(List.of(GW1, GW2, GW3), dead.liveFirst(List.of(GW1, GW2, GW3), 30_000));
    }

    @Test
    void transactionsAreForgottenAfterTheirTimeAndBeyondTheLimit() {
        Failover small = new Failover(dead, Duration.ofSeconds(10), 2);
        for (int i = 0; i < 3; i++) {
            small.request(Optional.of(new Failover.Key("b" + i, "c")), "INVITE", INVITE, 0);
        }
        assertEquals(2, small.size());
        assertFalse(small.isTracked(new Failover.Key("b0", "c")), "the oldest went first");
        small.request(Optional.of(new Failover.Key("b9", "c")), "OPTIONS", INVITE, 10_000);
        assertEquals(1, small.size(), "the others expired");
    }

    @Test
    void aRequestWithoutBranchIsSentWithoutFailover() {
        assertEquals(List.of(new Failover.Resolve(Optional.empty())),
                failover.request(Optional.empty(), "OPTIONS", INVITE, 0));
        assertEquals(0, failover.size());
    }
}
