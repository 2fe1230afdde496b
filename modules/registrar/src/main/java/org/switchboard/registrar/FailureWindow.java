package org.switchboard.registrar;

import java.util.ArrayDeque;

/**
 * Failed digest attempts of one AOR in a sliding window, in the entity's memory: how many in the last
 * {@code windowMillis}, and whether this failure took the AOR past its limit (the moment to log, once per
 * crossing). Bounded: past {@value #CAP} failures in the window the count saturates.
 */
final class FailureWindow {
    static final int CAP = 1024;

    private final long windowMillis;
    private final int limit;
    /** Created on the first failure: most AORs never fail. */
    private ArrayDeque<Long> times;

    FailureWindow(long windowMillis, int limit) {
        this.windowMillis = windowMillis;
        this.limit = limit;
    }

    /** What one more failure at this time makes. */
    record Count(int failures, boolean crossedLimit) {
    }

    Count failed(long nowMillis) {
        if (times == null) {
            times = new ArrayDeque<>(4);
        }
        prune(nowMillis);
        if (times.size() >= CAP) {
            times.pollFirst();
        }
        times.addLast(nowMillis);
        int n = times.size();
        return new Count(n, limit > 0 && n == limit + 1);
    }

    private void prune(long nowMillis) {
        while (!times.isEmpty() && nowMillis - times.peekFirst() >= windowMillis) {
            times.pollFirst();
        }
    }
}
