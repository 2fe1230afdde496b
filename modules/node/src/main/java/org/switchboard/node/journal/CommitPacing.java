package org.switchboard.node.journal;

/**
 * When the journal's next write may start: no sooner than {@code interval} after the one before it. A write that
 * comes after a quiet spell starts at once; while writes come faster than one per interval, each waits out the
 * rest of it, and the events persisted meanwhile join the next write (one transaction, one commit) instead of
 * each paying a commit of their own.
 */
final class CommitPacing {
    private CommitPacing() {
    }

    /** The start, in the clock of {@code now}, of a write asked for at {@code now} after one started at {@code last}. */
    static long start(long now, long last, long interval) {
        return Math.max(now, last + interval);
    }
}
