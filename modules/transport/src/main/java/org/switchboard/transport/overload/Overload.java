package org.switchboard.transport.overload;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether this node should shed new work: its actors run late (the dispatcher is saturated: CPU or a flood) or
 * its journal answers slowly. While either holds, new out-of-dialog work (a REGISTER, an initial INVITE) gets
 * {@code 503} with {@code Retry-After} at once — cheaper than letting it queue until the phone's retransmissions
 * double the load — while requests of existing dialogs (ACK, BYE, re-INVITE) are still served.
 *
 * <p>Samples are written by many actors at once and read on every new request, so they are plain atomics: a
 * sample is the worst value seen in the current window, and a window with no sample says nothing (a slow journal
 * that no longer gets writes does not keep the node shedding forever: the next write measures it again).
 */
public final class Overload {
    /** A node that never sheds (tests, and a node with overload protection switched off). */
    public static final Overload NEVER = new Overload(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), 0,
            Clock.systemUTC());

    private final long maxLagNanos;
    private final long maxJournalNanos;
    private final long windowMillis;
    private final int retryAfterSeconds;
    private final Clock clock;
    private final Window lag = new Window();
    private final Window journal = new Window();

    /**
     * @param maxDispatcherLag how late a scheduled tick may run before the node counts as overloaded; zero: never
     * @param maxJournalLatency how long a journal write may take before the node counts as overloaded; zero: never
     * @param window           how long one sample counts
     */
    public Overload(Duration maxDispatcherLag, Duration maxJournalLatency, Duration window, int retryAfterSeconds,
                    Clock clock) {
        this.maxLagNanos = maxDispatcherLag.toNanos();
        this.maxJournalNanos = maxJournalLatency.toNanos();
        this.windowMillis = window.toMillis();
        this.retryAfterSeconds = retryAfterSeconds;
        this.clock = clock;
    }

    public void dispatcherLag(long nanos) {
        lag.record(nanos, clock.millis(), windowMillis);
    }

    public void journalLatency(long nanos) {
        journal.record(nanos, clock.millis(), windowMillis);
    }

    /** Whether new out-of-dialog work is to be refused now. */
    public boolean shedding() {
        long now = clock.millis();
        return (maxLagNanos > 0 && lag.worst(now, windowMillis) > maxLagNanos)
                || (maxJournalNanos > 0 && journal.worst(now, windowMillis) > maxJournalNanos);
    }

    /** The Retry-After of a shed request, seconds. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The worst sample of the current window; the previous window's still counts until this one has one. */
    private static final class Window {
        private final AtomicLong startMillis = new AtomicLong();
        private final AtomicLong worst = new AtomicLong();
        private final AtomicLong previousWorst = new AtomicLong();

        void record(long value, long nowMillis, long windowMillis) {
            long start = startMillis.get();
            if (nowMillis - start >= windowMillis && startMillis.compareAndSet(start, nowMillis)) {
                previousWorst.set(nowMillis - start < 2 * windowMillis ? worst.get() : 0);
                worst.set(0);
            }
            worst.accumulateAndGet(value, Math::max);
        }

        long worst(long nowMillis, long windowMillis) {
            long age = nowMillis - startMillis.get();
            if (age >= 2 * windowMillis) {
                return 0; // nothing measured lately
            }
            return age >= windowMillis ? worst.get() : Math.max(worst.get(), previousWorst.get());
        }
    }
}
