package org.switchboard.transport.overload;

import java.util.Optional;

/**
 * The log line an operator reads to learn that, how much and why a node refuses new work: at most one per
 * {@code interval} while requests are refused, none while all are taken. A node at its limit refuses some work
 * every second; a line per refusal, or per change of the share, would bury the log.
 */
final class RefusalSummary {
    private final long intervalMillis;
    /** The start, then the time of the last line: each line counts what was refused since. */
    private long lastAt;
    private boolean logged;
    private long lastJournal;
    private long lastLag;

    /** @param startMillis when counting began (the first line, logged at the first refusal, covers the time since) */
    RefusalSummary(long intervalMillis, long startMillis) {
        this.intervalMillis = intervalMillis;
        this.lastAt = startMillis;
    }

    /** The line to log now, given the refusals counted since the start, if any were added and it is time. */
    Optional<String> at(long nowMillis, long refusedForJournal, long refusedForLag) {
        long journal = refusedForJournal - lastJournal;
        long lag = refusedForLag - lastLag;
        if (journal + lag == 0 || logged && nowMillis - lastAt < intervalMillis) {
            return Optional.empty();
        }
        String line = String.format("overload: %d new requests refused with 503 in the last %d s: %d while the "
                        + "journal was slow, %d while the actors ran late (metric switchboard_overload_refused_total)",
                journal + lag, Math.max(1, (nowMillis - lastAt + 500) / 1000), journal, lag);
        lastAt = nowMillis;
        logged = true;
        lastJournal = refusedForJournal;
        lastLag = refusedForLag;
        return Optional.of(line);
    }
}
