package org.switchboard.node.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CommitPacingTest {
    private static final long INTERVAL = 2_000_000;

    @Test
    void theFirstWriteAndOneAfterAQuietSpellStartAtOnce() {
        assertEquals(5, CommitPacing.start(5, Long.MIN_VALUE, INTERVAL));
        assertEquals(10_000_000, CommitPacing.start(10_000_000, 1_000_000, INTERVAL));
        assertEquals(3_000_000, CommitPacing.start(3_000_000, 1_000_000, INTERVAL), "exactly an interval after");
    }

    @Test
    void aWriteAskedForSoonerWaitsOutTheIntervalSinceTheLastStart() {
        assertEquals(3_000_000, CommitPacing.start(1_500_000, 1_000_000, INTERVAL));
        assertEquals(5_000_000, CommitPacing.start(3_000_001, 3_000_000, INTERVAL),
                "the start that was itself delayed counts, not when it was asked for");
    }

    @Test
    void noIntervalNeverDelays() {
        assertEquals(7, CommitPacing.start(7, 7, 0));
    }
}
