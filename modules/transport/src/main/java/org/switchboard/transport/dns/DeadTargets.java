package org.switchboard.transport.dns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Targets that failed lately (RFC 3263 §4.3: a transport error, a 503, or no answer at all): for {@code deadFor}
 * they are tried last. Not thread-safe: owned by the DNS event loop. Bounded: expired marks are swept when the
 * table grows past its limit, and past it still, the marks are forgotten (the cost is one more failover).
 */
public final class DeadTargets {
    private static final int MAX_MARKS = 10_000;
    private final long deadForMillis;
    private final Map<Target, Long> deadUntil = new HashMap<>();

    public DeadTargets(Duration deadFor) {
        this.deadForMillis = deadFor.toMillis();
    }

    public void markDead(Target target, long nowMillis) {
        if (deadUntil.size() >= MAX_MARKS) {
            deadUntil.values().removeIf(until -> until <= nowMillis);
            if (deadUntil.size() >= MAX_MARKS) {
                deadUntil.clear();
            }
        }
        deadUntil.put(target, nowMillis + deadForMillis);
    }

    public boolean isDead(Target target, long nowMillis) {
        Long until = deadUntil.get(target);
        return until != null && until > nowMillis;
    }

    /** The targets in their order, the live ones first (dead ones stay, last: better a dead target than none). */
    public List<Target> liveFirst(List<Target> targets, long nowMillis) {
        List<Target> live = new ArrayList<>(targets.size());
        List<Target> dead = new ArrayList<>();
        for (Target t : targets) {
            (isDead(t, nowMillis) ? dead : live).add(t);
        }
        live.addAll(dead);
        return List.copyOf(live);
    }
}
