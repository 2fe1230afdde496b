package org.switchboard.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.switchboard.session.TransactionDriver.Kind;
import org.switchboard.session.proxy.BranchId;
import org.switchboard.session.proxy.Fork;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.transaction.Action;
import org.switchboard.sip.transaction.InviteClientTransaction;
import org.switchboard.sip.transaction.TimerName;
import org.switchboard.sip.transaction.Timing;
import org.switchboard.sip.transaction.TransactionEvent;
import org.switchboard.sip.transaction.TransactionEvent.ClientEvent;
import org.switchboard.sip.transaction.Transition;
import org.switchboard.transport.api.Destination;

/**
 * The forks of a proxied INVITE, each driven by an RFC 3261 §17.1.1 client transaction (with RFC 6026): the
 * INVITE sent again over UDP (Timer A, doubling) until a response, given up after 64*T1 without one (Timer B,
 * which the entity counts as a 408 from that fork), and every non-2xx final acknowledged hop by hop, its
 * retransmissions too. Each machine lives in its fork's {@link ProxiedInvite.Leg}.
 */
final class ForkTransactions {
    private final TransactionDriver driver;

    ForkTransactions(TransactionDriver driver) {
        this.driver = driver;
    }

    /** Sends the INVITE to a new fork, under a new client transaction. */
    void start(ProxiedInvite tx, BranchId id, Destination destination, SipRequest forwarded) {
        Instant now = driver.now();
        Transition<InviteClientTransaction> t = InviteClientTransaction.start(driver.values(),
                TransactionDriver.reliable(destination), now);
        perform(tx, id, new ProxiedInvite.Leg(destination, forwarded, t.next()), t, now, Optional.empty());
    }

    /**
     * A fork on the node its call was handed over to. One that has answered provisionally goes on in Proceeding,
     * sending nothing (a device that sent its 2xx meanwhile would not take a repeated INVITE well); one that has
     * not answered at all gets the INVITE again, as Timer A would have sent it; one already over is only counted.
     * A cancelled fork that had rung gets its CANCEL again.
     *
     * @return whether the fork is back; false if what was written down no longer parses
     */
    boolean resume(ProxiedInvite tx, HandedOverInvite.SentFork f) {
        if (!(SipParser.parse(f.forwarded()) instanceof ParseResult.Parsed p) || !(p.message() instanceof SipRequest sent)) {
            return false;
        }
        Optional<Fork> fork = tx.proxy.search().fork(f.id());
        if (fork.isEmpty()) {
            return false;
        }
        Timing timing = new Timing(driver.values(), TransactionDriver.reliable(f.destination()));
        if (!fork.get().pending()) {
            tx.legs.put(f.id(), new ProxiedInvite.Leg(f.destination(), sent, new InviteClientTransaction.Terminated()));
        } else if (fork.get().provisional()) {
            tx.legs.put(f.id(), new ProxiedInvite.Leg(f.destination(), sent, new InviteClientTransaction.Proceeding(timing)));
            if (fork.get().cancelled()) {
                send(tx, ProxyMessages.cancelFor(sent), f.destination());
            }
        } else {
            start(tx, f.id(), f.destination(), sent);
        }
        return true;
    }

    /**
     * A response of this fork.
     *
     * @return whether the entity (the proxy core) gets it: retransmitted finals are absorbed (their ACK sent again)
     */
    boolean onResponse(ProxiedInvite tx, BranchId id, SipResponse response) {
        Instant now = driver.now();
        return feed(tx, id, new TransactionEvent.ResponseReceived(response.status()), now, Optional.of(response)).stream()
                .anyMatch(Action.PassToTu.class::isInstance);
    }

    /** @return whether the fork just timed out (Timer B): no response at all within 64*T1 */
    boolean onTimer(ProxiedInvite tx, BranchId id, TimerName timer) {
        Instant now = driver.now();
        return feed(tx, id, new TransactionEvent.TimerFired(timer), now, Optional.empty()).stream()
                .anyMatch(Action.NotifyTuTimeout.class::isInstance);
    }

    void forget(ProxiedInvite tx) {
        tx.legs.keySet().forEach(id -> driver.cancelAll(Kind.FORK, id));
    }

    private List<Action> feed(ProxiedInvite tx, BranchId id, ClientEvent event, Instant now,
                              Optional<SipResponse> response) {
        ProxiedInvite.Leg leg = tx.legs.get(id);
        return perform(tx, id, leg, leg.machine().on(event, now), now, response);
    }

    /**
     * Moves the fork's machine on and performs its message actions; returns them.
     *
     * @param response the response being handled, for its ACK; empty for a timer or the start (no ACK then)
     */
    private List<Action> perform(ProxiedInvite tx, BranchId id, ProxiedInvite.Leg leg,
                                 Transition<InviteClientTransaction> t, Instant now, Optional<SipResponse> response) {
        tx.legs.put(id, leg.withMachine(t.next()));
        List<Action> actions = driver.run(Kind.FORK, id, t.actions(), now);
        for (Action action : actions) {
            if (action instanceof Action.SendRequest) {
                send(tx, leg.forwarded().bytes(), leg.destination());
            } else if (action instanceof Action.SendAck) {
                response.ifPresent(r -> send(tx, ProxyMessages.ackFor(leg.forwarded(), r), leg.destination()));
            }
        }
        return actions;
    }

    private void send(ProxiedInvite tx, byte[] bytes, Destination destination) {
        driver.send(tx.envelope, bytes, destination);
    }
}
