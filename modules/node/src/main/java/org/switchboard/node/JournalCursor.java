package org.switchboard.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far a reader of the journal has read, in the journal's global {@code ordering}, without missing a row that
 * commits late. Orderings are handed out when a row is inserted, not when its transaction commits: with two
 * writers, rows 101–150 can become visible after 151–160. A reader that only remembered the highest ordering it
 * read would skip them for ever. So every ordering below the highest read that has not been seen is remembered as
 * missing and asked for again, until it is found or has been missing for {@code gapTimeout} (a transaction rolled
 * back, or rows deleted: its ordering never comes). Pure and owned by one actor; not thread-safe.
 */
final class JournalCursor {
    /** Missing orderings remembered at most; beyond that the oldest are given up (a journal with many holes). */
    static final int MAX_MISSING = 100_000;

    private final long gapTimeoutMillis;
    private long highest;
    /** ordering → when it was first found missing (epoch ms) */
    private final TreeMap<Long, Long> missing = new TreeMap<>();

    JournalCursor(Duration gapTimeout) {
        this(gapTimeout, 0);
    }

    /** A cursor that has read every row up to {@code ordering} (a stored offset). */
    JournalCursor(Duration gapTimeout, long ordering) {
        this.gapTimeoutMillis = gapTimeout.toMillis();
        this.highest = ordering;
    }

    /**
     * The ordering up to which every row has been read or given up: the highest read, or just below the lowest
     * still missing. What a reader stores to start from again without losing a row.
     */
    long safe() {
        return missing.isEmpty() ? highest : missing.firstKey() - 1;
    }

    /** Read the rows after this ordering next. */
    long highest() {
        return highest;
    }

    /** The missing orderings to ask for again, lowest first, at most {@code limit}. */
    List<Long> missing(int limit) {
        List<Long> out = new ArrayList<>(Math.min(limit, missing.size()));
        for (Long ordering : missing.keySet()) {
            if (out.size() == limit) {
                break;
            }
            out.add(ordering);
        }
        return out;
    }

    /**
     * A page of rows read after {@link #highest()}, in ascending order: the orderings skipped between them are
     * missing from {@code nowMillis} on.
     */
    void read(List<Long> orderings, long nowMillis) {
        for (long ordering : orderings) {
            if (ordering <= highest) {
                continue;
            }
            for (long gap = highest + 1; gap < ordering && missing.size() < MAX_MISSING; gap++) {
                missing.put(gap, nowMillis);
            }
            highest = ordering;
        }
        while (missing.size() > MAX_MISSING) {
            missing.pollFirstEntry();
        }
    }

    /** Rows found among the missing ones. */
    void found(List<Long> orderings) {
        orderings.forEach(missing::remove);
    }

    /** Gives up the orderings missing for {@code gapTimeout} or longer; returns how many. */
    int expire(long nowMillis) {
        int expired = 0;
        for (Iterator<Map.Entry<Long, Long>> it = missing.entrySet().iterator(); it.hasNext(); ) {
            if (nowMillis - it.next().getValue() >= gapTimeoutMillis) {
                it.remove();
                expired++;
            }
        }
        return expired;
    }

    /** How many orderings are missing now. */
    int missingCount() {
        return missing.size();
    }
}
