package org.switchboard.transport.overload;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Call-IDs of the new work a node took lately. Work once taken is finished: an overloaded node refuses new
 * calls and registrations at its edge, never the retransmissions, the authenticated retry (after a 407) or the
 * follow-up requests of one it took — a 503 to a transaction already under way would leave its caller with a
 * failure and the callee with a call.
 *
 * <p>Two generations, each as long as the memory asked for: a Call-ID stays known for one to two of them. Each
 * generation holds at most {@code maxPerGeneration} entries, so a flood of new Call-IDs cannot grow it without
 * bound; past that, new work is not remembered (its retransmissions may then be refused while shedding).
 */
final class RecentCallIds {
    private final long generationMillis;
    private final int maxPerGeneration;
    private final Clock clock;
    private final AtomicReference<Generations> generations;

    private record Generations(long startMillis, Set<String> current, Set<String> previous) {
    }

    RecentCallIds(Duration memory, int maxPerGeneration, Clock clock) {
        this.generationMillis = memory.toMillis();
        this.maxPerGeneration = maxPerGeneration;
        this.clock = clock;
        this.generations = new AtomicReference<>(new Generations(clock.millis(), newSet(), newSet()));
    }

    boolean contains(String callId) {
        Generations g = current();
        return g.current().contains(callId) || g.previous().contains(callId);
    }

    void add(String callId) {
        Set<String> current = current().current();
        if (current.size() < maxPerGeneration) {
            current.add(callId);
        }
    }

    private Generations current() {
        long now = clock.millis();
        Generations g = generations.get();
        while (now - g.startMillis() >= generationMillis) {
            Set<String> previous = now - g.startMillis() < 2 * generationMillis ? g.current() : newSet();
            Generations next = new Generations(now, newSet(), previous);
            if (generations.compareAndSet(g, next)) {
                return next;
            }
            g = generations.get();
        }
        return g;
    }

    private static Set<String> newSet() {
        return ConcurrentHashMap.newKeySet();
    }
}
