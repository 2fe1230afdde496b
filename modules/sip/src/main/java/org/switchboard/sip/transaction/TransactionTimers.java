package org.switchboard.sip.transaction;

import java.time.Duration;
import java.util.Objects;

/**
 * The three base values every transaction timer is derived from (RFC 3261 §17.1.1.1, Table 4), so raising T1 on
 * a high-latency link scales all of them together. Whether a transport is reliable is a property of each
 * transaction, not of this record: see {@link Timing}.
 *
 * @param t1 round-trip time estimate
 * @param t2 longest retransmission interval for non-INVITE requests and INVITE responses
 * @param t4 longest time a message stays in the network
 */
public record TransactionTimers(Duration t1, Duration t2, Duration t4) {
    /** The RFC 3261 defaults: T1 500 ms, T2 4 s, T4 5 s. */
    public static final TransactionTimers DEFAULT =
            new TransactionTimers(Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(5));

    public TransactionTimers {
        Objects.requireNonNull(t1, "t1");
        Objects.requireNonNull(t2, "t2");
        Objects.requireNonNull(t4, "t4");
        // A zero T1 would make every retransmission timer fire in a loop at the same instant.
        if (t1.isNegative() || t1.isZero() || t4.isNegative() || t4.isZero()) {
            throw new IllegalArgumentException("T1 and T4 must be positive");
        }
        // Capping a doubling interval at T2 only makes sense if T2 is not below where it starts.
        if (t2.compareTo(t1) < 0) {
            throw new IllegalArgumentException("T2 must be at least T1");
        }
    }
}
