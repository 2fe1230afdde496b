package org.switchboard.node.activity;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests awaiting their final response, by Call-ID, with the time each arrived: the start of a setup time (an
 * initial INVITE) or of a transaction's latency (a REGISTER). One Call-ID is one transaction at a time here: a
 * retransmission of a request still waiting keeps its first arrival. Bounded without a lock: past {@code max}
 * entries, or older than {@code maxAge}, the oldest is forgotten (its response then counts nowhere).
 */
public final class Arrivals {
    private final Clock clock;
    private final int max;
    private final long maxAgeMillis;
    /** Call-ID → when its request arrived (ms), until its final response leaves. */
    private final ConcurrentHashMap<String, Long> waiting = new ConcurrentHashMap<>();
    /** The same entries in arrival order, to forget the oldest; may still hold entries already answered. */
    private final ConcurrentLinkedQueue<Arrival> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

    private record Arrival(String callId, long atMillis) {
    }

    public Arrivals(Clock clock, int max, Duration maxAge) {
        this.clock = clock;
        this.max = max;
        this.maxAgeMillis = maxAge.toMillis();
    }

    /** A request of {@code callId} arrived; false when one of it was already waiting (a retransmission). */
    public boolean arrived(String callId) {
        long now = clock.millis();
        if (waiting.putIfAbsent(callId, now) != null) {
            return false;
        }
        order.offer(new Arrival(callId, now));
        if (queued.incrementAndGet() > max) {
            forgetOldest();
        }
        return true;
    }

    /** The final response of {@code callId} leaves: how long ago its request arrived, if it was waiting. */
    public OptionalLong answered(String callId) {
        Long at = waiting.remove(callId);
        return at == null ? OptionalLong.empty() : OptionalLong.of(clock.millis() - at);
    }

    /** Whether nothing waits: the send path then need not look for a Call-ID at all. */
    public boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** How many wait. */
    public int size() {
        return waiting.size();
    }

    /** Forgets the requests that have waited longer than {@code maxAge}. */
    public void expire() {
        long oldest = clock.millis() - maxAgeMillis;
        for (Arrival a = order.peek(); a != null && a.atMillis() < oldest; a = order.peek()) {
            forgetOldest();
        }
    }

    private void forgetOldest() {
        Arrival a = order.poll();
        if (a != null) {
            queued.decrementAndGet();
            waiting.remove(a.callId(), a.atMillis());
        }
    }
}
