package org.switchboard.node.activity;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;

import org.switchboard.transport.api.OutboundTap;

/**
 * What this node's SIP edge did, second by second, for the last ten minutes (the console's charts): REGISTERs and
 * initial INVITEs received, final responses to those INVITEs sent back and how many were 2xx, and the setup time
 * from an INVITE's arrival to its first final response. Only this node's edge: in a cluster each transport node
 * keeps its own.
 *
 * <p>The counters are fed from the network threads (requests) and the send path (responses) without a lock; {@link
 * #tick} (once a second, one caller at a time) turns them into one {@link Sample} of a ring of {@link #SLOTS}. The
 * INVITEs awaiting a final response are bounded: past {@code maxPending}, or older than {@link #MAX_SETUP}, the
 * oldest is forgotten (its response then counts nowhere).
 */
public final class Activity implements OutboundTap {
    public static final int SLOTS = 600;
    public static final int MAX_PENDING = 100_000;
    /** Longer than Timer C (3 min): an INVITE still without a final answer by then will not get one from us. */
    static final Duration MAX_SETUP = Duration.ofMinutes(4);

    private final Clock clock;
    private final LongAdder registers = new LongAdder();
    private final LongAdder invites = new LongAdder();
    private final LongAdder finals = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LatencyHistogram setup = new LatencyHistogram();
    /** The initial INVITEs by Call-ID, until their first final response leaves. */
    private final Arrivals pending;
    private final SetupListener listener;

    // written by tick(), read by samples(): both synchronized, neither on a SIP path
    private final Sample[] ring = new Sample[SLOTS];
    private int written;
    private final long[] last = new long[4];

    /** One second (or so: the interval since the previous sample) of this node's edge. */
    public record Sample(long atMillis, long registers, long invites, long finals, long answered,
                         Optional<Latency> setup) {
    }

    /** Setup times of one sample: median and 99th percentile, within 1/16 (see {@link LatencyHistogram}). */
    public record Latency(long p50Millis, long p99Millis) {
    }

    /** Who else hears of each setup time (the node's metrics), on the send path: it must be cheap. */
    @FunctionalInterface
    public interface SetupListener {
        /** An initial INVITE got its first final response, {@code status}, {@code millis} after it arrived. */
        void setupEnded(int status, long millis);

        SetupListener NONE = (status, millis) -> { };
    }

    public Activity(Clock clock, int maxPending, SetupListener listener) {
        this.clock = clock;
        this.pending = new Arrivals(clock, maxPending, MAX_SETUP);
        this.listener = listener;
    }

    public Activity(Clock clock, int maxPending) {
        this(clock, maxPending, SetupListener.NONE);
    }

    public Activity(Clock clock, SetupListener listener) {
        this(clock, MAX_PENDING, listener);
    }

    public Activity(Clock clock) {
        this(clock, MAX_PENDING, SetupListener.NONE);
    }

    public void registerReceived() {
        registers.increment();
    }

    /** An INVITE without a To tag; a retransmission of one still awaiting its answer is not counted again. */
    public void initialInviteReceived(String callId) {
        if (pending.arrived(callId)) {
            invites.increment();
        }
    }

    /** From the send path: a final response to an INVITE we are waiting on ends its setup. */
    @Override
    public void sending(byte[] message) {
        int status = ResponseLine.status(message);
        if (status < 200 || pending.isEmpty() || !ResponseLine.isInvite(message)) {
            return;
        }
        Optional<String> callId = ResponseLine.callId(message);
        if (callId.isEmpty()) {
            return;
        }
        OptionalLong took = pending.answered(callId.get());
        if (took.isEmpty()) {
            return; // a re-INVITE's answer, a second final response, or one we forgot
        }
        finals.increment();
        if (status < 300) {
            answered.increment();
        }
        setup.record(took.getAsLong());
        listener.setupEnded(status, took.getAsLong());
    }

    /** Closes the current second into the ring and forgets INVITEs waiting for longer than {@link #MAX_SETUP}. */
    public synchronized void tick() {
        long now = clock.millis();
        long[] totals = {registers.sum(), invites.sum(), finals.sum(), answered.sum()};
        Optional<Latency> latency = setup.drain().map(l -> new Latency(l.p50Millis(), l.p99Millis()));
        ring[written % SLOTS] = new Sample(now, totals[0] - last[0], totals[1] - last[1], totals[2] - last[2],
                totals[3] - last[3], latency);
        written++;
        System.arraycopy(totals, 0, last, 0, totals.length);
        pending.expire();
    }

    /** The samples kept, oldest first (at most {@link #SLOTS}). */
    public synchronized List<Sample> samples() {
        int n = Math.min(written, SLOTS);
        List<Sample> out = new ArrayList<>(n);
        for (int i = written - n; i < written; i++) {
            out.add(ring[i % SLOTS]);
        }
        return out;
    }

    /** INVITEs received that have not had a final response yet (bounded by {@code maxPending}). */
    public int pending() {
        return pending.size();
    }

}
