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
    /** How long a taken Call-ID is remembered, at least: longer than any transaction (64*T1) and a 407's retry. */
    static final Duration TAKEN_MEMORY = Duration.ofSeconds(40);
    private static final int MAX_REMEMBERED = 200_000;
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
    private final RecentCallIds taken;

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
        this.taken = new RecentCallIds(TAKEN_MEMORY, MAX_REMEMBERED, clock);
    }

    public void dispatcherLag(long nanos) {
        lag.record(nanos, clock.millis(), windowMillis);
    }

    public void journalLatency(long nanos) {
        journal.record(nanos, clock.millis(), windowMillis);
    }

    /**
     * Whether this node takes new work (a REGISTER, an initial INVITE) with this Call-ID now, asked by its edge:
     * yes when it took that Call-ID lately (a retransmission, the retry with credentials after a 407), else when it
     * is not shedding — and then the Call-ID counts as taken. Work once taken is finished: a 503 to a transaction
     * already under way would leave its caller with a failure and the callee with a call.
     */
    public boolean takes(String callId) {
        if (taken.contains(callId)) {
            return true;
        }
        if (shedding()) {
            return false;
        }
        if (maxLagNanos > 0 || maxJournalNanos > 0) {
            taken.add(callId);
        }
        return true;
    }

    /**
     * Whether an entity refuses new work with this Call-ID: the node sheds and its own edge did not take it (work
     * from another transport node, whose edge knows nothing of this node's load).
     */
    public boolean refuses(String callId) {
        return shedding() && !taken.contains(callId);
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
