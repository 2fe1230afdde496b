package org.switchboard.node.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Requests awaiting their final response, by Call-ID, with the time each arrived (REGISTERs: thousands a second).
 * An entry lives only until its answer, so nearly all die young: no queue of arrivals that would keep every one
 * alive for a minute (the GC copies what lives that long, again and again). Those never answered are forgotten a
 * generation at a time: two maps, the older dropped whenever the newer is {@code maxAge / 2} old or holds
 * {@code max / 2} entries. Lock-free: a generation changes by one compare-and-set.
 */
final class WaitingRequests {
    private final Clock clock;
    private final int maxPerGeneration;
    private final long generationMillis;
    private final AtomicReference<Generations> generations;

    private record Generations(ConcurrentHashMap<String, Long> current, ConcurrentHashMap<String, Long> previous,
                               long sinceMillis) {
        Generations next(long now) {
            return new Generations(new ConcurrentHashMap<>(), current, now);
        }
    }

    WaitingRequests(Clock clock, int max, Duration maxAge) {
        this.clock = clock;
        this.maxPerGeneration = Math.max(1, max / 2);
        this.generationMillis = maxAge.toMillis() / 2;
        this.generations = new AtomicReference<>(new Generations(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(),
                clock.millis()));
    }

    /** A request of {@code callId} arrived; false when one of it was already waiting (a retransmission). */
    boolean arrived(String callId) {
        Generations g = generations.get();
        long now = clock.millis();
        if (g.previous().containsKey(callId) || g.current().putIfAbsent(callId, now) != null) {
            return false;
        }
        if (g.current().size() > maxPerGeneration) {
            generations.compareAndSet(g, g.next(now)); // lost to another thread: it moved on already
        }
        return true;
    }

    /** The final response of {@code callId} leaves: how long ago its request arrived, if it was waiting. */
    OptionalLong answered(String callId) {
        Generations g = generations.get();
        Long at = g.current().remove(callId);
        if (at == null) {
            at = g.previous().remove(callId);
        }
        return at == null ? OptionalLong.empty() : OptionalLong.of(clock.millis() - at);
    }

    boolean isEmpty() {
        Generations g = generations.get();
        return g.current().isEmpty() && g.previous().isEmpty();
    }

    int size() {
        Generations g = generations.get();
        return g.current().size() + g.previous().size();
    }

    /** Drops the older generation once the newer is half the maximum age old (called about once a second). */
    void expire() {
        Generations g = generations.get();
        long now = clock.millis();
        if (now - g.sinceMillis() >= generationMillis) {
            generations.compareAndSet(g, g.next(now));
        }
    }
}
