package org.switchboard.transport.hep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class SamplingTest {
    @Test
    void oneTakesEveryCallZeroNone() {
        assertTrue(new Sampling(1).sampled(Optional.of("a")));
        assertTrue(new Sampling(1).sampled(Optional.empty()));
        assertFalse(new Sampling(0).sampled(Optional.of("a")));
        assertFalse(new Sampling(0).sampled(Optional.empty()));
    }

    @Test
    void aCallIsDecidedTheSameForEachOfItsMessagesAndOnEveryNode() {
        Sampling here = new Sampling(0.3);
        Sampling elsewhere = new Sampling(0.3);
        for (int i = 0; i < 1000; i++) {
            Optional<String> id = Optional.of("call-" + i + "@10.0.0." + (i % 7));
            assertEquals(here.sampled(id), here.sampled(id));
            assertEquals(here.sampled(id), elsewhere.sampled(id));
        }
    }

    @Test
    void theShareOfCallsTakenIsTheRateForRandomAndForSequentialCallIds() {
        for (double rate : new double[] {0.01, 0.3, 0.5, 0.9}) {
            Sampling s = new Sampling(rate);
            int random = 0;
            int sequential = 0;
            int n = 20_000;
            for (int i = 0; i < n; i++) {
                random += s.sampled(Optional.of(UUID.randomUUID().toString())) ? 1 : 0;
                sequential += s.sampled(Optional.of(i + "@sipp.example")) ? 1 : 0;
            }
            // 20,000 draws: the standard deviation of the share is at most 0.0036
            assertEquals(rate, random / (double) n, 0.02, "random Call-IDs at " + rate);
            assertEquals(rate, sequential / (double) n, 0.02, "sequential Call-IDs at " + rate);
        }
    }

    @Test
    void aRateIsZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> new Sampling(1.5));
        assertThrows(IllegalArgumentException.class, () -> new Sampling(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new Sampling(Double.NaN));
    }
}
