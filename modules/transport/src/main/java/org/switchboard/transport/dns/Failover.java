package org.switchboard.transport.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.switchboard.transport.api.SipTransport;

/**
 * RFC 3263 §4.3 for the requests this node sends to host names: the resolved targets of one client transaction
 * (keyed by its top Via branch and Call-ID) are tried in order; a transport error, a 503, or no response at all
 * within the failover timeout (UDP) moves the request to the next target and marks the failed one dead.
 *
 * <p>The entities above retransmit the same bytes to the same host name and never learn of the targets: this
 * table remembers, for a bounded time and number of transactions, which target a branch is on, so that a
 * retransmission, the ACK of a non-2xx and a CANCEL follow the request to where it is now.
 *
 * <p>Decisions only: every method returns the {@link Effect}s for the caller to carry out. Not thread-safe: owned by
 * the DNS event loop; only {@link #isTracked} may be asked from any thread (the inbound path asks it for every
 * response, to hand only the tracked ones over).
 */
public final class Failover {
    /** One client transaction: top Via branch and Call-ID (a branch is ours only together with its Call-ID). */
    public record Key(String branch, String callId) {
    }

    /** What the caller carries out. */
    public sealed interface Effect permits Resolve, SendTo, AckTo, GiveUp {
    }

    /** Look the destination up, then call {@link #resolved} (for a request without branch: just send to the first). */
    public record Resolve(Optional<Key> key) implements Effect {
    }

    /**
     * Send these bytes to the target; {@code armTimer}: call {@link #timedOut} with this attempt after the failover
     * timeout, and {@link #sendFailed} with it if the send fails.
     */
    public record SendTo(Key key, int attempt, Target target, byte[] bytes, boolean armTimer) implements Effect {
    }

    /** Send the ACK of the 503 just absorbed for this INVITE (RFC 3261 §17.1.1.3), built from its bytes. */
    public record AckTo(Target target, byte[] invite) implements Effect {
    }

    /** No target is left (the last one failed to send): the request is lost. */
    public record GiveUp(Key key, String reason) implements Effect {
    }

    /** What became of a response for a tracked transaction. */
    public record Verdict(boolean absorbed, List<Effect> effects) {
        static final Verdict PASS = new Verdict(false, List.of());
    }

    private static final class Entry {
        final String method;
        byte[] bytes;
        List<Target> targets = List.of();
        boolean resolving = true;
        int current;
        int attempt;
        boolean answered;
        long touched;

        Entry(String method, byte[] bytes) {
            this.method = method;
            this.bytes = bytes;
        }
    }

    private final DeadTargets dead;
    private final long keepMillis;
    private final int maxEntries;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private final Set<Key> tracked = ConcurrentHashMap.newKeySet();

    /**
     * @param keep       how long a transaction is remembered after its last message (beyond an INVITE's ringing)
     * @param maxEntries transactions remembered at once; the least recently used is forgotten first
     */
    public Failover(DeadTargets dead, Duration keep, int maxEntries) {
        this.dead = dead;
        this.keepMillis = keep.toMillis();
        this.maxEntries = maxEntries;
    }

    public boolean isTracked(Key key) {
        return tracked.contains(key);
    }

    /** A request for a host name: where it goes now. ACK and CANCEL of a tracked INVITE follow it (same branch). */
    public List<Effect> request(Optional<Key> key, String method, byte[] bytes, long now) {
        expire(now);
        if (key.isEmpty()) {
            return List.of(new Resolve(Optional.empty()));
        }
        Entry e = entries.get(key.get());
        if (e == null) {
            e = new Entry(method, bytes);
            e.touched = now;
            entries.put(key.get(), e);
            tracked.add(key.get());
            evictOverflow();
            return List.of(new Resolve(key));
        }
        e.touched = now;
        if (e.resolving) {
            return List.of(); // the lookup's result sends the request; the entity retransmits anything else
        }
        boolean sameRequest = e.method.equals(method);
        if (sameRequest) {
            e.bytes = bytes;
        }
        return List.of(new SendTo(key.get(), e.attempt, e.targets.get(e.current), bytes, false));
    }

    /** The lookup of a tracked request finished, targets in order (dead ones last). */
    public List<Effect> resolved(Key key, List<Target> targets, long now) {
        Entry e = entries.get(key);
        if (e == null || !e.resolving) {
            return List.of();
        }
        if (targets.isEmpty()) {
            forget(key);
            return List.of(new GiveUp(key, "no address found"));
        }
        e.resolving = false;
        e.targets = List.copyOf(targets);
        e.touched = now;
        return List.of(send(key, e));
    }

    /** Sending an attempt failed (connection refused, unreachable): the next target at once. */
    public List<Effect> sendFailed(Key key, int attempt, long now) {
        Entry e = entries.get(key);
        if (e == null || e.attempt != attempt) {
            return List.of();
        }
        return failCurrent(key, e, now, "send failed");
    }

    /** The failover timeout of an attempt ran out: if its target never answered, the next target. */
    public List<Effect> timedOut(Key key, int attempt, long now) {
        Entry e = entries.get(key);
        if (e == null || e.attempt != attempt || e.answered) {
            return List.of();
        }
        if (e.current == e.targets.size() - 1) {
            return List.of(); // the last target keeps the request: the transaction's own timer ends it
        }
        return failCurrent(key, e, now, "no response");
    }

    /**
     * A response of a tracked transaction, from {@code source}. A 503 from a target that is not the last is
     * absorbed (ACKed if the request is an INVITE) and the request goes to the next target; everything else goes
     * on to the entity, which then sees the answer of the target that took the request.
     */
    public Verdict response(Key key, int status, String cseqMethod, InetSocketAddress source, long now) {
        Entry e = entries.get(key);
        if (e == null || e.resolving || !e.method.equals(cseqMethod)) {
            return Verdict.PASS;
        }
        e.touched = now;
        int from = indexOf(e, source);
        if (from >= 0 && from < e.current) {
            // a late answer of a target given up: a retransmitted 503 (our ACK was lost) is ACKed again
            return status == 503 ? new Verdict(true, ack(e, e.targets.get(from))) : Verdict.PASS;
        }
        e.answered = true;
        if (status != 503 || e.current == e.targets.size() - 1) {
            return Verdict.PASS;
        }
        Target refused = e.targets.get(e.current);
        List<Effect> effects = new ArrayList<>(ack(e, refused));
        effects.addAll(failCurrent(key, e, now, "503"));
        return new Verdict(true, effects);
    }

    private List<Effect> ack(Entry e, Target to) {
        return e.method.equals("INVITE") ? List.of(new AckTo(to, e.bytes)) : List.of();
    }

    private List<Effect> failCurrent(Key key, Entry e, long now, String reason) {
        dead.markDead(e.targets.get(e.current), now);
        if (e.current == e.targets.size() - 1) {
            forget(key);
            return List.of(new GiveUp(key, reason + " from the last target " + e.targets.get(e.current)));
        }
        e.current++;
        e.attempt++;
        e.answered = false;
        e.touched = now;
        return List.of(send(key, e));
    }

    private SendTo send(Key key, Entry e) {
        Target t = e.targets.get(e.current);
        // only UDP waits for a response to fail over: a stream connection reports its own failure
        boolean arm = t.transport() == SipTransport.UDP && !e.method.equals("ACK");
        return new SendTo(key, e.attempt, t, e.bytes, arm);
    }

    private static int indexOf(Entry e, InetSocketAddress source) {
        for (int i = 0; i < e.targets.size(); i++) {
            if (e.targets.get(i).address().equals(source)) {
                return i;
            }
        }
        return -1;
    }

    private void expire(long now) {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Entry> next = it.next();
            if (now - next.getValue().touched < keepMillis) {
                return; // access order: the rest were used more recently
            }
            it.remove();
            tracked.remove(next.getKey());
        }
    }

    private void evictOverflow() {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (entries.size() > maxEntries && it.hasNext()) {
            Key k = it.next().getKey();
            it.remove();
            tracked.remove(k);
        }
    }

    private void forget(Key key) {
        entries.remove(key);
        tracked.remove(key);
    }

    int size() {
        return entries.size();
    }
}
