package org.switchboard.registrar;

import java.util.HashMap;
import java.util.Map;

/**
 * The highest nonce-count each nonce was used with, so a replayed Authorization (same nonce, same or lower nc)
 * is refused (RFC 7616 §3.4). In the entity's memory only, which is enough: a nonce is accepted only by the
 * incarnation that issued it ({@link Nonces}), and that incarnation has seen every count used with it.
 */
final class NonceCounts {
    private final long lifetimeMillis;
    /** Created on first use: most entities never check a credential while awake. */
    private Map<String, long[]> seen = Map.of();

    NonceCounts(long lifetimeMillis) {
        this.lifetimeMillis = lifetimeMillis;
    }

    /** Records the count and says whether it is higher than any seen for this nonce. */
    boolean accept(String nonce, long count, long nowMillis) {
        if (seen.isEmpty()) {
            seen = new HashMap<>(4);
        }
        if (seen.size() > 64) {
            seen.values().removeIf(v -> nowMillis - v[1] > lifetimeMillis);
        }
        long[] entry = seen.get(nonce);
        if (entry != null && count <= entry[0]) {
            return false;
        }
        seen.put(nonce, new long[] {count, nowMillis});
        return true;
    }
}
