package org.switchboard.node.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void everyValueFallsIntoABucketWithinASixteenthBelowIt() {
        for (long v : new long[] {0, 1, 31, 32, 33, 63, 64, 100, 999, 1000, 4321, 180_000, 10_000_000_000L}) {
            long low = LatencyHistogram.lowest(LatencyHistogram.index(v));
            assertTrue(low <= v && v - low <= v / 16, v + " reported as " + low);
        }
        assertEquals(LatencyHistogram.index(1L << 45), LatencyHistogram.index(Long.MAX_VALUE), "clamped, not thrown");
    }

    @Test
    void percentilesOfOneSecondThenAFreshStart() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 100; i++) {
            h.record(i < 100 ? 10 : 5000);
        }
        LatencyHistogram.Latency l = h.drain().orElseThrow();
        assertEquals(10, l.p50Millis());
        assertEquals(10, l.p99Millis(), "99 of 100 took 10 ms");
        assertEquals(100, l.count());
        assertEquals(Optional.empty(), h.drain());
        h.record(5000);
        h.record(7);
        assertEquals(7, h.drain().orElseThrow().p50Millis());
    }
}
