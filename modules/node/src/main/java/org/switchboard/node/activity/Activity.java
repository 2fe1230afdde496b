package org.switchboard.node.activity;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final int maxPending;
    private final LongAdder registers = new LongAdder();
    private final LongAdder invites = new LongAdder();
    private final LongAdder finals = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LatencyHistogram setup = new LatencyHistogram();
    /** Call-ID → when its initial INVITE arrived (ms), until its first final response leaves. */
    private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();
    /** The same entries in arrival order, to forget the oldest; may still hold entries already answered. */
    private final ConcurrentLinkedQueue<Pending> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

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

    private record Pending(String callId, long atMillis) {
    }

    public Activity(Clock clock, int maxPending) {
        this.clock = clock;
        this.maxPending = maxPending;
    }

    public Activity(Clock clock) {
        this(clock, MAX_PENDING);
    }

    public void registerReceived() {
        registers.increment();
    }

    /** An INVITE without a To tag; a retransmission of one still awaiting its answer is not counted again. */
    public void initialInviteReceived(String callId) {
        long now = clock.millis();
        if (pending.putIfAbsent(callId, now) != null) {
            return;
        }
        invites.increment();
        arrivals.offer(new Pending(callId, now));
        if (queued.incrementAndGet() > maxPending) {
            forgetOldest();
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
        Long at = pending.remove(callId.get());
        if (at == null) {
            return; // a re-INVITE's answer, a second final response, or one we forgot
        }
        finals.increment();
        if (status < 300) {
            answered.increment();
        }
        setup.record(clock.millis() - at);
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
        long oldest = now - MAX_SETUP.toMillis();
        for (Pending p = arrivals.peek(); p != null && p.atMillis() < oldest; p = arrivals.peek()) {
            forgetOldest();
        }
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

    private void forgetOldest() {
        Pending p = arrivals.poll();
        if (p != null) {
            queued.decrementAndGet();
            pending.remove(p.callId(), p.atMillis());
        }
    }
}
