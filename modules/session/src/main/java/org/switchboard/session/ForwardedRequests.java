package org.switchboard.session;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.switchboard.session.TransactionDriver.Kind;
import org.switchboard.session.proxy.ForwardedKey;
import org.switchboard.sip.transaction.Action;
import org.switchboard.sip.transaction.NonInviteClientTransaction;
import org.switchboard.sip.transaction.TimerName;
import org.switchboard.sip.transaction.TransactionEvent;
import org.switchboard.sip.transaction.Transition;
import org.switchboard.transport.api.Envelope;

/**
 * The in-dialog non-INVITE requests the Call forwarded statefully (BYE, UPDATE, INFO, REFER, NOTIFY, PRACK..),
 * each driving an RFC 3261 §17.1.2 client transaction: sent again downstream over UDP (Timer E), given up after
 * 64*T1 (Timer F: the entity answers 408 upstream), and kept after its final response until Timer K, so that a
 * retransmission of the request from upstream gets that response again rather than starting a second
 * transaction. In memory only, like every transaction: after a failover the peers' retransmissions start anew.
 *
 * <p>Keyed by our downstream branch and method; our branch is derived from the upstream one, so a
 * retransmission from upstream maps to the same key.
 */
final class ForwardedRequests {
    private static final class Entry {
        final ClientTransaction tx;
        final Instant started;
        NonInviteClientTransaction machine;
        Optional<byte[]> lastRelayed = Optional.empty();
        /** Upstream sent the request again: more copies may be on the way. */
        boolean retransmittedUpstream;

        Entry(ClientTransaction tx, NonInviteClientTransaction machine, Instant started) {
            this.tx = tx;
            this.machine = machine;
            this.started = started;
        }
    }

    private final TransactionDriver driver;
    private final Map<ForwardedKey, Entry> live = new HashMap<>();

    ForwardedRequests(TransactionDriver driver) {
        this.driver = driver;
    }

    boolean isEmpty() {
        return live.isEmpty();
    }

    Optional<ClientTransaction> find(ForwardedKey key) {
        return Optional.ofNullable(live.get(key)).map(e -> e.tx);
    }

    /** The send path of any live transaction, for requests the proxy makes on its own. */
    Optional<Envelope> anyEnvelope() {
        return live.values().stream().map(e -> e.tx.upstreamEnvelope()).findFirst();
    }

    /**
     * A request from upstream matching a live transaction is a retransmission (§17.2.3): downstream
     * retransmissions are the client transaction's job, so it is not forwarded again; upstream gets the last
     * response we relayed, if there is one yet.
     *
     * @return whether the request was such a retransmission
     */
    boolean absorb(ForwardedKey key) {
        Entry e = live.get(key);
        if (e == null) {
            return false;
        }
        e.retransmittedUpstream = true;
        e.lastRelayed.ifPresent(bytes -> driver.send(e.tx.upstreamEnvelope(), bytes, e.tx.upstream()));
        return true;
    }

    /** Forwards a request downstream under a new client transaction. */
    void start(ForwardedKey key, ClientTransaction tx) {
        Instant now = driver.now();
        Transition<NonInviteClientTransaction> t = NonInviteClientTransaction.start(driver.values(),
                TransactionDriver.reliable(tx.downstream()), now);
        Entry e = new Entry(tx, t.next(), now);
        live.put(key, e);
        perform(key, e, t, now);
    }

    /**
     * A response of a live transaction arrived from downstream.
     *
     * @return whether it goes upstream: a retransmitted final response is absorbed by the transaction
     */
    boolean onResponse(ForwardedKey key, int status) {
        Entry e = live.get(key);
        if (e == null) {
            return false;
        }
        Instant now = driver.now();
        return perform(key, e, e.machine.on(new TransactionEvent.ResponseReceived(status), now), now)
                .stream().anyMatch(Action.PassToTu.class::isInstance);
    }

    /**
     * Whether every transaction has its final response, now within T1/2 of the request and with no
     * retransmission from upstream, and waits only for Timer K. An ended call in that state may sleep: upstream has
     * no retransmission under way, and one that comes because our answer was lost wakes the call from its journal
     * and goes to the callee again under our Record-Route, whose own server transaction answers it (§17.2.2, Timer
     * J); that answer, like a late copy of the callee's first, goes up by its Via. Keeping every ended call awake
     * for T4 held five seconds of calls in memory (at 500 calls/s, thousands of entities) for a datagram that is
     * rarely lost. An answer that was slow (overload, a slow callee) keeps its transaction: the retransmissions it
     * caused are absorbed here rather than each waking the call with a journal read.
     */
    boolean allAnsweredPromptly() {
        // upstream's Timer E first fires T1 after it sent the request, which was before we received it
        Instant retransmissionsFrom = driver.now().minus(driver.values().t1().dividedBy(2));
        return live.values().stream().allMatch(e -> e.machine instanceof NonInviteClientTransaction.Completed
                && !e.retransmittedUpstream && e.started.isAfter(retransmissionsFrom));
    }

    /** Remembers what went upstream, for retransmissions of the request. */
    void relayed(ForwardedKey key, byte[] response) {
        Entry e = live.get(key);
        if (e != null) {
            e.lastRelayed = Optional.of(response);
        }
    }

    /**
     * A timer of a forwarded request is due.
     *
     * @return the transaction, when it just timed out (Timer F): downstream never answered, and the entity
     *         answers 408 upstream for it (§16.7 step 2: a client transaction timeout counts as a 408)
     */
    Optional<ClientTransaction> onTimer(ForwardedKey key, TimerName timer) {
        Entry e = live.get(key);
        if (e == null) {
            return Optional.empty();
        }
        Instant now = driver.now();
        List<Action> done = perform(key, e, e.machine.on(new TransactionEvent.TimerFired(timer), now), now);
        return done.stream().anyMatch(Action.NotifyTuTimeout.class::isInstance) ? Optional.of(e.tx) : Optional.empty();
    }

    /** Moves the machine on and performs the message actions; returns them for the TU's share. */
    private List<Action> perform(ForwardedKey key, Entry e, Transition<NonInviteClientTransaction> t, Instant now) {
        e.machine = t.next();
        List<Action> actions = driver.run(Kind.FORWARDED, key, t.actions(), now);
        for (Action action : actions) {
            if (action instanceof Action.SendRequest) {
                driver.send(e.tx.upstreamEnvelope(), e.tx.forwarded().bytes(), e.tx.downstream());
            } else if (action instanceof Action.Terminate) {
                live.remove(key);
            }
        }
        return actions;
    }
}
