package org.switchboard.registrar;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The calls an account has going, for its toll-fraud limits (RFC-less policy: a stolen password must not become
 * a hundred simultaneous calls to premium numbers). In the entity's memory: the admitted Call-IDs until the Call
 * entity reports them finished, and the start times of the last minute. The Call-IDs are persisted only when the
 * entity passivates with calls still going (see {@link Registration}); a call whose end is never reported (its
 * node crashed) is forgotten after {@code forgetAfterMillis}, so a lost message cannot lock an account forever.
 */
final class CallAdmission {
    static final long MINUTE = 60_000;

    private final long forgetAfterMillis;
    /** Call-ID to the time it was admitted. */
    private Map<String, Long> active = new HashMap<>(0);
    private final ArrayDeque<Long> starts = new ArrayDeque<>(0);

    CallAdmission(long forgetAfterMillis) {
        this.forgetAfterMillis = forgetAfterMillis;
    }

    /**
     * Admits the call, or says which limit it would pass. The same Call-ID again (a new INVITE transaction of the
     * same call, or a repeated ask) is admitted without counting twice.
     *
     * @param maxConcurrent 0 for no limit
     * @param maxPerMinute  0 for no limit
     */
    Optional<String> admit(String callId, int maxConcurrent, int maxPerMinute, long nowMillis) {
        active.values().removeIf(at -> nowMillis - at > forgetAfterMillis);
        while (!starts.isEmpty() && nowMillis - starts.peekFirst() >= MINUTE) {
            starts.pollFirst();
        }
        if (active.containsKey(callId)) {
            return Optional.empty();
        }
        if (maxConcurrent > 0 && active.size() >= maxConcurrent) {
            return Optional.of("concurrent call limit");
        }
        if (maxPerMinute > 0 && starts.size() >= maxPerMinute) {
            return Optional.of("call rate limit");
        }
        active.put(callId, nowMillis);
        starts.addLast(nowMillis);
        return Optional.empty();
    }

    void finished(String callId) {
        active.remove(callId);
    }

    int concurrent() {
        return active.size();
    }

    int lastMinute() {
        return starts.size();
    }

    /** What to persist at passivation. */
    Map<String, Long> active() {
        return Map.copyOf(active);
    }

    /** After recovery: the calls that were going when the entity last passivated. */
    void restore(Map<String, Long> kept) {
        active = new HashMap<>(kept);
    }
}
