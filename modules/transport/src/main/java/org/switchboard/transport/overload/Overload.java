package org.switchboard.transport.overload;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether this node should take new work. Two measures: how late its actors run (the dispatcher is saturated: CPU
 * or a flood) and how slowly its journal answers. New out-of-dialog work (a REGISTER, an initial INVITE) that is
 * not taken gets {@code 503} with {@code Retry-After} at once — cheaper than letting it queue until the phone's
 * retransmissions double the load — while requests of existing dialogs (ACK, BYE, re-INVITE) are still served.
 *
 * <p>The dispatcher lag steers a share of new work ({@link AdmittedShare}), which settles near what the node can
 * finish instead of alternating between all and nothing. A slow journal is not a matter of shares (more work cannot make it
 * faster): a journal gauge sheds all new work once its bad samples have spanned {@code sustained}, and until
 * {@code window} has passed without one (a slow journal that no longer gets writes does not keep the node shedding
 * forever: the next write measures it again). Samples count only once the node serves: its start (class loading,
 * recovery, the warm-up's deliberate flood) is not load to shed. Samples are written by many actors at once and
 * read on every new request, so they are plain atomics.
 */
public final class Overload {
    /** How long a taken Call-ID is remembered, at least: longer than any transaction (64*T1) and a 407's retry. */
    static final Duration TAKEN_MEMORY = Duration.ofSeconds(40);
    private static final int MAX_REMEMBERED = 200_000;
    /** A node that never sheds (tests, and a node with overload protection switched off). */
    public static final Overload NEVER = new Overload(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1),
            Duration.ZERO, 0, Clock.systemUTC());

    private final int retryAfterSeconds;
    private final Clock clock;
    private final AdmittedShare share;
    private final long epochMillis;
    private final Gauge journal;
    private final RecentCallIds taken;
    private final JournalSamples samples;
    private final LongAdder refusedForJournal = new LongAdder();
    private final LongAdder refusedForLag = new LongAdder();
    private volatile boolean measuring;

    /**
     * @param maxDispatcherLag  how late a scheduled tick may run before it cuts the share taken; zero: never
     * @param maxJournalLatency how long a journal write may take before it is a bad sample; zero: never
     * @param window            how long after its last bad sample the journal gauge still sheds
     * @param sustained         how long bad samples must go on before the journal gauge sheds; zero: at the first
     */
    public Overload(Duration maxDispatcherLag, Duration maxJournalLatency, Duration window, Duration sustained,
                    int retryAfterSeconds, Clock clock) {
        this(maxDispatcherLag, maxJournalLatency, window, sustained, retryAfterSeconds, clock, JournalSamples.NONE);
    }

    /** As above, every journal sample also handed to {@code samples} (counted from the start, not only once serving). */
    public Overload(Duration maxDispatcherLag, Duration maxJournalLatency, Duration window, Duration sustained,
                    int retryAfterSeconds, Clock clock, JournalSamples samples) {
        this.samples = samples;
        this.retryAfterSeconds = retryAfterSeconds;
        this.clock = clock;
        this.share = new AdmittedShare(maxDispatcherLag.toNanos());
        // a phone retrying after Retry-After finds a new epoch, so a new decision
        this.epochMillis = Math.max(1000, retryAfterSeconds * 1000L);
        this.journal = new Gauge(maxJournalLatency.toNanos(), window.toMillis(), sustained.toMillis());
        this.taken = new RecentCallIds(TAKEN_MEMORY, MAX_REMEMBERED, clock);
    }

    /** From now on samples count: called when the node starts serving. */
    public void startMeasuring() {
        measuring = true;
    }

    public void dispatcherLag(long nanos) {
        if (measuring) {
            share.sample(nanos);
        }
    }

    /** A node that never sheds but still hands its journal samples on (overload protection off, metrics on). */
    public static Overload never(JournalSamples samples) {
        return new Overload(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, 0, Clock.systemUTC(),
                samples);
    }

    public void journalLatency(long nanos) {
        samples.written(nanos);
        if (measuring) {
            journal.record(nanos, clock.millis());
        }
    }

    /** An entity restarts because the journal failed it: counted by the metrics, not a sample of the gauge. */
    public void journalFailed() {
        samples.failed();
    }

    /**
     * Whether this node takes new work (a REGISTER, an initial INVITE) with this Call-ID now, asked by its edge:
     * yes when it took that Call-ID lately (a retransmission, the retry with credentials after a 407), else when
     * the journal is not shedding and the Call-ID falls within the share taken — and then it counts as taken. Work
     * once taken is finished: a 503 to a transaction already under way would leave its caller with a failure and
     * the callee with a call.
     */
    public boolean takes(String callId) {
        if (taken.contains(callId)) {
            return true;
        }
        Refusal refusal = refusal(callId);
        if (refusal != Refusal.NONE) {
            count(refusal);
            return false;
        }
        if (share.enabled() || journal.enabled()) {
            taken.add(callId);
        }
        return true;
    }

    /**
     * Whether an entity refuses new work with this Call-ID: its own edge did not take it (work from another
     * transport node, whose edge knows nothing of this node's load) and this node would not take it now.
     */
    public boolean refuses(String callId) {
        Refusal refusal = refusal(callId);
        if (refusal == Refusal.NONE || taken.contains(callId)) {
            return false;
        }
        count(refusal);
        return true;
    }

    /** New requests refused since the start because the journal was slow. */
    public long refusedForJournal() {
        return refusedForJournal.sum();
    }

    /** New requests refused since the start because the dispatcher ran late (outside the share taken). */
    public long refusedForLag() {
        return refusedForLag.sum();
    }

    private enum Refusal { NONE, JOURNAL, LAG }

    private Refusal refusal(String callId) {
        long now = clock.millis();
        if (journal.shedding(now)) {
            return Refusal.JOURNAL;
        }
        return share.admits(callId, now / epochMillis) ? Refusal.NONE : Refusal.LAG;
    }

    private void count(Refusal refusal) {
        (refusal == Refusal.JOURNAL ? refusedForJournal : refusedForLag).increment();
    }

    /** Whether some new out-of-dialog work is refused now (a share below all, or a slow journal). */
    public boolean shedding() {
        return admittedShare() < 1.0;
    }

    /** The share of new work taken now: 1 when all, 0 when none (a slow journal sheds it all). */
    public double admittedShare() {
        return journal.shedding(clock.millis()) ? 0 : share.value();
    }

    /** The Retry-After of a shed request, seconds. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * The journal's run of bad samples: from its first to its latest, where a run ends with a window without any.
     * Good samples between bad ones do not end it: under load some journal writes still go fast.
     */
    private static final class Gauge {
        private static final long NONE = Long.MIN_VALUE / 2;
        private final long limitNanos;
        private final long windowMillis;
        private final long sustainedMillis;
        private final AtomicLong runStart = new AtomicLong(NONE);
        private final AtomicLong lastBad = new AtomicLong(NONE);

        Gauge(long limitNanos, long windowMillis, long sustainedMillis) {
            this.limitNanos = limitNanos;
            this.windowMillis = windowMillis;
            this.sustainedMillis = sustainedMillis;
        }

        boolean enabled() {
            return limitNanos > 0;
        }

        void record(long nanos, long nowMillis) {
            if (!enabled() || nanos <= limitNanos) {
                return;
            }
            if (nowMillis - lastBad.get() >= windowMillis) {
                runStart.set(nowMillis); // before lastBad moves: a reader never pairs the new sample with an old run
            }
            lastBad.accumulateAndGet(nowMillis, Math::max);
        }

        boolean shedding(long nowMillis) {
            long last = lastBad.get();
            return enabled() && nowMillis - last < windowMillis && last - runStart.get() >= sustainedMillis;
        }
    }
}
