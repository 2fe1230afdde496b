package org.switchboard.transport.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.switchboard.transport.HandClock;

class OverloadTest {
    private final HandClock clock = new HandClock(Instant.ofEpochMilli(1_000_000));
    private final Overload overload = measuring(new Overload(Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofMillis(200), 5, clock));

    @Test
    void aDispatcherThatRunsLateOnAndOnShedsUntilItRunsOnTimeAgain() {
        overload.dispatcherLag(ms(10));
        assertFalse(overload.shedding());
        overload.dispatcherLag(ms(800));
        assertFalse(overload.shedding(), "one late tick is a pause, not overload");
        clock.advance(Duration.ofMillis(300));
        overload.dispatcherLag(ms(5));
        assertFalse(overload.shedding());
        overload.dispatcherLag(ms(700));
        assertTrue(overload.shedding(), "late ticks for 300 ms: overloaded");
        clock.advance(Duration.ofMillis(1_500));
        overload.dispatcherLag(ms(5));
        assertTrue(overload.shedding(), "the last late tick counts for its window");
        clock.advance(Duration.ofMillis(500));
        overload.dispatcherLag(ms(5));
        assertFalse(overload.shedding(), "a window without a late tick: served again");
        overload.dispatcherLag(ms(900));
        assertFalse(overload.shedding(), "a late tick after a quiet window starts a new run");
    }

    @Test
    void aSingleGcPauseDoesNotShedNoMatterHowLong() {
        overload.dispatcherLag(ms(5_000));
        clock.advance(Duration.ofMillis(100));
        overload.dispatcherLag(ms(2));
        assertFalse(overload.shedding());
    }

    @Test
    void aSlowJournalShedsAndAJournalWithNoRecentSampleDoesNot() {
        overload.journalLatency(ms(1_500));
        clock.advance(Duration.ofMillis(250));
        overload.journalLatency(ms(300));
        assertFalse(overload.shedding(), "one slow batch of writes");
        overload.journalLatency(ms(1_200));
        assertTrue(overload.shedding(), "slow writes for 250 ms");
        clock.advance(Duration.ofMillis(2_001));
        assertFalse(overload.shedding(), "nothing measured lately: the next write measures again");
        overload.journalLatency(ms(1_900));
        assertFalse(overload.shedding());
    }

    @Test
    void nothingCountsBeforeTheNodeServes() {
        Overload starting = new Overload(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ZERO, 5, clock);
        starting.dispatcherLag(ms(3_000));
        starting.journalLatency(ms(3_000));
        assertFalse(starting.shedding(), "start-up and warm-up are not load");
        assertTrue(starting.takes("call-1"));
        starting.startMeasuring();
        starting.dispatcherLag(ms(3_000));
        assertTrue(starting.shedding());
    }

    @Test
    void anEntityRefusesNewWorkThatThisNodesEdgeDidNotTake() {
        assertTrue(overload.takes("taken-before"));
        lateTwice();
        assertTrue(overload.refuses("from-another-node"), "work from another transport node's edge is refused");
        assertFalse(overload.refuses("taken-before"), "work this node's edge took goes on");
        assertFalse(overload.takes("new-at-the-edge"));
        assertTrue(overload.takes("taken-before"));
    }

    @Test
    void neverShedsWhenSwitchedOff() {
        Overload off = Overload.NEVER;
        off.dispatcherLag(ms(60_000));
        off.journalLatency(ms(60_000));
        assertFalse(off.shedding());
    }

    private void lateTwice() {
        overload.dispatcherLag(ms(800));
        clock.advance(Duration.ofMillis(200));
        overload.dispatcherLag(ms(800));
    }

    static Overload measuring(Overload overload) {
        overload.startMeasuring();
        return overload;
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    @Test
    void everyJournalSampleAndFailureReachesTheSinkEvenBeforeMeasuringAndWhenNeverShedding() {
        List<Long> written = new ArrayList<>();
        int[] failed = {0};
        JournalSamples sink = new JournalSamples() {
            @Override
            public void written(long nanos) {
                written.add(nanos);
            }

            @Override
            public void failed() {
                failed[0]++;
            }
        };
        Overload starting = new Overload(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ZERO, 5, clock, sink);
        starting.journalLatency(ms(3_000));
        assertFalse(starting.shedding(), "not measuring yet: the warm-up is not load");
        Overload never = Overload.never(sink);
        never.startMeasuring();
        never.journalLatency(ms(7));
        never.journalFailed();
        assertFalse(never.shedding());
        assertTrue(never.takes("any"));
        assertEquals(List.of(ms(3_000), ms(7)), written);
        assertEquals(1, failed[0]);
    }
}
