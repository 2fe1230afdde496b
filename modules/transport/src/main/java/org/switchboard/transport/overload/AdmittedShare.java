package org.switchboard.transport.overload;

/**
 * The share of new work (REGISTERs, initial INVITEs) a node takes, steered by its dispatcher lag: cut by a quarter
 * at each late sample, raised by a twentieth at each sample on time (additive increase, multiplicative decrease).
 * An on/off gate alternates between taking everything, which queues work until phones retransmit, and taking
 * nothing, which leaves the node idle; a share settles where the node keeps up, so it answers what it takes in
 * time and the rest at once with a cheap {@code 503}.
 *
 * <p>Which requests are taken is decided by a hash of the Call-ID and the current epoch, not at random: a
 * retransmission within the epoch is decided as its first copy was, and a phone that retries after Retry-After
 * (a new epoch) has a fresh chance, even though phones keep one Call-ID for all their REGISTERs.
 *
 * <p>One writer (the probe), many readers (the edge on every new request): a volatile double is enough.
 */
final class AdmittedShare {
    /** The factor a late sample leaves of the share. */
    static final double CUT = 0.75;
    /** What a sample on time adds to the share (from nothing to all in 20 samples: 2 s at the default probe). */
    static final double STEP = 0.05;
    /** Below this the share is nothing: a node whose every tick is late takes no new work at all. */
    static final double FLOOR = 0.01;

    private final long limitNanos;
    private volatile double share = 1.0;

    /** @param limitNanos the dispatcher lag above which a sample is late; zero: never steered (always 1) */
    AdmittedShare(long limitNanos) {
        this.limitNanos = limitNanos;
    }

    boolean enabled() {
        return limitNanos > 0;
    }

    void sample(long lagNanos) {
        if (enabled()) {
            share = next(share, lagNanos > limitNanos);
        }
    }

    double value() {
        return share;
    }

    /** Whether the work of this Call-ID is taken in this epoch at the current share. */
    boolean admits(String callId, long epoch) {
        double s = share;
        return s >= 1.0 || (s > 0 && bucket(callId, epoch) < s);
    }

    static double next(double share, boolean late) {
        if (late) {
            double cut = share * CUT;
            return cut < FLOOR ? 0 : cut;
        }
        return Math.min(1.0, share + STEP);
    }

    /** A point in [0, 1) spread evenly over Call-IDs however alike they are (SIPp's "1-4242@host", "2-4242@host"). */
    static double bucket(String callId, long epoch) {
        long h = callId.hashCode() * 0x9E3779B97F4A7C15L + epoch;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }
}
