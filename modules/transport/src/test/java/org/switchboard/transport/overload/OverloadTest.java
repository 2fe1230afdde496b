package org.switchboard.transport.overload;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.switchboard.transport.HandClock;

class OverloadTest {
    private final HandClock clock = new HandClock(Instant.ofEpochMilli(1_000_000));
    private final Overload overload = new Overload(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), 5, clock);

    @Test
    void aLateDispatcherShedsUntilItRunsOnTimeAgain() {
        overload.dispatcherLag(ms(10));
        assertFalse(overload.shedding());
        overload.dispatcherLag(ms(800));
        assertTrue(overload.shedding());
        clock.advance(Duration.ofMillis(1_000));
        overload.dispatcherLag(ms(5));
        assertTrue(overload.shedding(), "the bad sample counts for its window");
        clock.advance(Duration.ofMillis(1_500));
        overload.dispatcherLag(ms(5));
        assertTrue(overload.shedding(), "and the previous window's until this one has a bad sample or ends");
        clock.advance(Duration.ofMillis(2_000));
        overload.dispatcherLag(ms(5));
        assertFalse(overload.shedding(), "two quiet windows later: served again");
    }

    @Test
    void aSlowJournalShedsAndAJournalWithNoRecentSampleDoesNot() {
        overload.journalLatency(ms(1_500));
        assertTrue(overload.shedding());
        clock.advance(Duration.ofMillis(4_001));
        assertFalse(overload.shedding(), "nothing measured lately: the next write measures again");
        overload.journalLatency(ms(900));
        assertFalse(overload.shedding());
    }

    @Test
    void anEntityRefusesNewWorkThatThisNodesEdgeDidNotTake() {
        assertTrue(overload.takes("taken-before"));
        overload.dispatcherLag(ms(800));
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

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
