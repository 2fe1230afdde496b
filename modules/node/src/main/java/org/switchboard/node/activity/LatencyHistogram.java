package org.switchboard.node.activity;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Setup times of one second, in milliseconds, counted into fixed buckets without a lock: exact below 32 ms, then 16
 * buckets per power of two (a value is reported within 1/16 of itself, rounded down). Recorded from any thread;
 * drained by one.
 */
final class LatencyHistogram {
    private static final int EXACT = 32;
    private static final int SUB_BITS = 4;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 40; // 2^40 ms: more than 30 years, so nothing real is clamped
    private final AtomicLongArray counts = new AtomicLongArray(EXACT + (MAX_EXPONENT - 5 + 1) * SUB);

    /** p50 and p99 of one second's setups, and how many there were. */
    record Latency(long p50Millis, long p99Millis, long count) {
    }

    void record(long millis) {
        counts.incrementAndGet(index(Math.max(0, millis)));
    }

    /** The percentiles of what was recorded since the last drain (none: empty), and a fresh start. */
    Optional<Latency> drain() {
        long[] taken = new long[counts.length()];
        long total = 0;
        for (int i = 0; i < taken.length; i++) {
            taken[i] = counts.getAndSet(i, 0);
            total += taken[i];
        }
        if (total == 0) {
            return Optional.empty();
        }
        return Optional.of(new Latency(percentile(taken, total, 0.50), percentile(taken, total, 0.99), total));
    }

    private static long percentile(long[] taken, long total, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < taken.length; i++) {
            seen += taken[i];
            if (seen >= rank) {
                return lowest(i);
            }
        }
        return lowest(taken.length - 1);
    }

    static int index(long millis) {
        if (millis < EXACT) {
            return (int) millis;
        }
        int exponent = Math.min(MAX_EXPONENT, 63 - Long.numberOfLeadingZeros(millis));
        long sub = exponent == MAX_EXPONENT && millis >= (1L << (MAX_EXPONENT + 1)) ? SUB - 1
                : (millis >>> (exponent - SUB_BITS)) & (SUB - 1);
        return EXACT + (exponent - 5) * SUB + (int) sub;
    }

    /** The smallest value that falls into bucket {@code index}. */
    static long lowest(int index) {
        if (index < EXACT) {
            return index;
        }
        int exponent = (index - EXACT) / SUB + 5;
        long sub = (index - EXACT) % SUB;
        return (SUB + sub) << (exponent - SUB_BITS);
    }
}
