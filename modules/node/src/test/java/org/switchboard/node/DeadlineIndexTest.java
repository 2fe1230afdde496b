package org.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.switchboard.session.CallEvent;
import org.switchboard.session.Dialog;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Peer;

/** The call sweeper's index: which answered calls are due, from their answered, refreshed and ended events in journal order. */
class DeadlineIndexTest {
    private static final Duration MAX = Duration.ofHours(12);
    private static final long H = Duration.ofHours(1).toMillis();
    private static final Dialog DIALOG = new Dialog("c", "<sip:a@x>;tag=1", "<sip:b@x>;tag=2", "sip:a@1.2.3.4",
            Destination.udp("1.2.3.4", 5060), "sip:b@5.6.7.8", Destination.udp("5.6.7.8", 5060), 1, 0, 0,
            new Peer("9.9.9.9", 5060));
    private final DeadlineIndex index = new DeadlineIndex(MAX, Duration.ofSeconds(30));

    @Test
    void aCallIsDueAtItsSessionExpiryOrItsMaximumDurationWhicheverComesFirst() {
        index.apply("timer", new CallEvent.CallAnswered(DIALOG, 0, 90_000));
        index.apply("no-timer", new CallEvent.CallAnswered(DIALOG, 1000, 0));
        assertEquals(List.of(), index.wake(89_999, 100));
        assertEquals(List.of("timer"), index.wake(90_000, 100));
        assertEquals(List.of(), index.wake(12 * H, 100).stream().filter("no-timer"::equals).toList());
        assertEquals(List.of("no-timer"), index.wake(12 * H + 1000, 100).stream().filter("no-timer"::equals).toList());
    }

    @Test
    void aRefreshMovesTheDeadlineButNotPastTheMaximumDuration() {
        index.apply("c1", new CallEvent.CallAnswered(DIALOG, 0, 90_000));
        index.apply("c1", new CallEvent.SessionRefreshed(DIALOG, 80_000, 170_000));
        assertEquals(List.of(), index.wake(169_999, 100));
        index.apply("c1", new CallEvent.SessionRefreshed(DIALOG, 12 * H - 10, 12 * H + 90_000));
        assertEquals(List.of(), index.wake(12 * H - 1, 100));
        assertEquals(List.of("c1"), index.wake(12 * H, 100));
    }

    @Test
    void anEndedCallIsNeverWoken() {
        index.apply("c1", new CallEvent.CallAnswered(DIALOG, 0, 90_000));
        index.apply("c1", new CallEvent.CallEnded("BYE 200", 10_000));
        index.apply("c2", new CallEvent.CallEnded("BYE 200", 10_000)); // its answer never read
        assertEquals(List.of(), index.wake(13 * H, 100));
        assertEquals(0, index.size());
    }

    @Test
    void aCallWokenInVainIsWokenAgainLessAndLessOftenUntilItEnds() {
        index.apply("c1", new CallEvent.CallAnswered(DIALOG, 0, 90_000));
        assertEquals(List.of("c1"), index.wake(90_000, 100));
        assertEquals(List.of(), index.wake(119_999, 100));
        assertEquals(List.of("c1"), index.wake(120_000, 100)); // 30 s later
        assertEquals(List.of(), index.wake(179_999, 100));
        assertEquals(List.of("c1"), index.wake(180_000, 100)); // 60 s later
        index.apply("c1", new CallEvent.CallEnded("session timer expired", 180_100));
        assertEquals(List.of(), index.wake(24 * H, 100));
    }

    @Test
    void theCallsThatAreUpLongestFirstWithoutTheEndedOnes() {
        index.apply("late", new CallEvent.CallAnswered(DIALOG, 5_000, 0));
        index.apply("early", new CallEvent.CallAnswered(DIALOG, 1_000, 0));
        index.apply("gone", new CallEvent.CallAnswered(DIALOG, 2_000, 0));
        index.apply("gone", new CallEvent.CallEnded("BYE 200", 3_000));
        assertEquals(List.of(new DeadlineIndex.Up("early", 1_000), new DeadlineIndex.Up("late", 5_000)), index.up(10));
        assertEquals(List.of(new DeadlineIndex.Up("early", 1_000)), index.up(1));
    }

    @Test
    void aSweepWakesAtMostItsLimitEarliestFirstTheRestNextTime() {
        for (int i = 0; i < 5; i++) {
            index.apply("c" + i, new CallEvent.CallAnswered(DIALOG, 0, 90_000 + i));
        }
        assertEquals(List.of("c0", "c1", "c2"), index.wake(100_000, 3));
        assertEquals(List.of("c3", "c4"), index.wake(100_000, 3));
    }

    @Test
    void withoutALimitACallWithoutSessionTimerHasNoDeadlineUntilARefreshGivesItOne() {
        DeadlineIndex unlimited = new DeadlineIndex(Duration.ZERO, Duration.ofSeconds(30));
        unlimited.apply("c1", new CallEvent.CallAnswered(DIALOG, 0, 0));
        assertEquals(List.of(), unlimited.wake(365 * 24 * H, 10));
        assertEquals(1, unlimited.size(), "it is up all the same");
        unlimited.apply("c1", new CallEvent.SessionRefreshed(DIALOG, 5000, 95_000));
        assertEquals(List.of("c1"), unlimited.wake(95_000, 10));
    }
}
