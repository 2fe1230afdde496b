package org.switchboard.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.switchboard.session.CallDeadline;
import org.switchboard.session.CallEvent;

/**
 * The call sweeper's view of the answered calls: Call-ID to the time it must end (session expiry, or answer time
 * plus the maximum call duration, whichever comes first, or never), built from the call events the sweeper reads, in
 * journal order, the calls that are due, and every call that is up for the operator's list. A call that was woken and did not end (its wake lost in a failover, or its node's clock
 * behind ours) is woken again later, less often each time. Owned by one actor; not thread-safe.
 */
final class DeadlineIndex {
    /** The longest wait between two wakes of a call that is due and has not ended. */
    static final Duration MAX_RETRY = Duration.ofMinutes(10);

    private record Entry(long answeredAtMillis, long deadlineMillis, long nextWakeMillis, int wakes) {
    }

    private record Due(long atMillis, String callId) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            int c = Long.compare(atMillis, o.atMillis);
            return c != 0 ? c : callId.compareTo(o.callId);
        }
    }

    private final Duration maxCallDuration;
    private final Duration retry;
    private final Map<String, Entry> calls = new HashMap<>();
    private final TreeSet<Due> byTime = new TreeSet<>();

    /** @param retry the first wait before a call woken in vain is woken again (doubled each time) */
    DeadlineIndex(Duration maxCallDuration, Duration retry) {
        this.maxCallDuration = maxCallDuration;
        this.retry = retry;
    }

    /** An answered, refreshed or ended event of the call {@code callId}, in journal order. */
    void apply(String callId, CallEvent event) {
        if (event instanceof CallEvent.CallAnswered a) {
            put(callId, a.atMillis(), CallDeadline.deadline(a.atMillis(), a.sessionExpiresAtMillis(), maxCallDuration));
        } else if (event instanceof CallEvent.SessionRefreshed r) {
            Entry known = calls.get(callId);
            // its answer was not read (a row given up as missing): only the session timer is known
            long answeredAt = known == null ? 0 : known.answeredAtMillis();
            long max = known == null ? CallDeadline.NEVER : CallDeadline.maxDurationEnd(answeredAt, maxCallDuration);
            put(callId, answeredAt, Math.min(max, r.sessionExpiresAtMillis() > 0 ? r.sessionExpiresAtMillis()
                    : CallDeadline.NEVER));
        } else if (event instanceof CallEvent.CallEnded) {
            remove(callId);
        }
    }

    /**
     * The calls due at {@code nowMillis}, earliest first, at most {@code limit}; each is counted as woken now and
     * comes again only after its retry wait unless its end arrives first.
     */
    List<String> wake(long nowMillis, int limit) {
        List<String> out = new ArrayList<>();
        while (out.size() < limit && !byTime.isEmpty() && byTime.first().atMillis() <= nowMillis) {
            Due due = byTime.pollFirst();
            Entry e = calls.get(due.callId());
            long wait = Math.min(MAX_RETRY.toMillis(), retry.toMillis() << Math.min(e.wakes(), 20));
            Entry woken = new Entry(e.answeredAtMillis(), e.deadlineMillis(), nowMillis + wait, e.wakes() + 1);
            calls.put(due.callId(), woken);
            byTime.add(new Due(woken.nextWakeMillis(), due.callId()));
            out.add(due.callId());
        }
        return out;
    }

    /** How many calls are up (answered, not ended). */
    int size() {
        return calls.size();
    }

    /** A call that is up: its Call-ID and when it was answered (0 when its answer was not read). */
    record Up(String callId, long answeredAtMillis) {
    }

    /** The calls that are up, longest first (then by Call-ID), at most {@code limit}. */
    List<Up> up(int limit) {
        return calls.entrySet().stream()
                .map(e -> new Up(e.getKey(), e.getValue().answeredAtMillis()))
                .sorted(Comparator.comparingLong(Up::answeredAtMillis).thenComparing(Up::callId))
                .limit(limit)
                .toList();
    }

    private void put(String callId, long answeredAt, long deadline) {
        remove(callId);
        calls.put(callId, new Entry(answeredAt, deadline, deadline, 0));
        if (deadline != CallDeadline.NEVER) { // else nothing to wait for (a refresh that sets one is read too)
            byTime.add(new Due(deadline, callId));
        }
    }

    private void remove(String callId) {
        Entry old = calls.remove(callId);
        if (old != null) {
            byTime.remove(new Due(old.nextWakeMillis(), callId));
        }
    }
}
