package org.switchboard.transport.hep;

import java.util.Optional;

/**
 * Which calls are captured at a sample rate below 1: decided by the Call-ID alone, so a call is captured whole —
 * every message of it, in both directions, on every transport node (they all hash alike) — or not at all. Not
 * every Nth packet, which would leave Homer with broken ladders.
 */
public final class Sampling {
    private final double rate;
    /** Calls whose hash, as an unsigned 32-bit number, is below this are captured. */
    private final long threshold;

    /** @param rate the share of calls captured, 0 (none) to 1 (all) */
    public Sampling(double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("a sample rate is 0 to 1, not " + rate);
        }
        this.rate = rate;
        this.threshold = (long) Math.floor(rate * 0x1_0000_0000L);
    }

    public double rate() {
        return rate;
    }

    public boolean all() {
        return rate >= 1;
    }

    public boolean none() {
        return rate <= 0;
    }

    /** Whether the call of this Call-ID is captured; a message without one counts as the call "" (one choice). */
    public boolean sampled(Optional<String> callId) {
        if (all()) {
            return true;
        }
        if (none()) {
            return false;
        }
        return (mix(callId.orElse("").hashCode()) & 0xFFFF_FFFFL) < threshold;
    }

    /**
     * String.hashCode is the same in every JVM (the JLS defines it), but close Call-IDs give close hashes: the
     * finaliser of MurmurHash3 spreads them over all 32 bits, so the share captured is the rate asked for.
     */
    static int mix(int h) {
        int x = h;
        x ^= x >>> 16;
        x *= 0x85ebca6b;
        x ^= x >>> 13;
        x *= 0xc2b2ae35;
        x ^= x >>> 16;
        return x;
    }
}
