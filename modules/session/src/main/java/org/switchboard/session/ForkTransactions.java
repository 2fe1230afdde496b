package org.switchboard.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.switchboard.session.TransactionDriver.Kind;
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
import org.switchboard.transport.api.Send;

/**
 * The forks of a proxied INVITE, each driven by an RFC 3261 §17.1.1 client transaction (with RFC 6026): the
 * INVITE sent again over UDP (Timer A, doubling) until a response, given up after 64*T1 without one (Timer B,
 * which the entity counts as a 408 from that fork), and every non-2xx final acknowledged hop by hop, its
 * retransmissions too. Each machine lives in its {@link Branch}, so replacing the branch moves it on.
 */
final class ForkTransactions {
    private final TransactionDriver driver;

    ForkTransactions(TransactionDriver driver) {
        this.driver = driver;
    }

    /** Sends the INVITE to a new fork, under a new client transaction. */
    void start(InviteTransaction tx, String branchId, String target, Destination destination, SipRequest forwarded) {
        Instant now = driver.now();
        Transition<InviteClientTransaction> t = InviteClientTransaction.start(driver.values(),
                TransactionDriver.reliable(destination), now);
        perform(tx, new Branch(branchId, target, destination, forwarded, 0, false, false, t.next()), t, now,
                Optional.empty());
    }

    /**
     * A fork on the node its call was handed over to. One that has answered provisionally goes on in Proceeding,
     * sending nothing (a device that sent its 2xx meanwhile would not take a repeated INVITE well); one that has
     * not answered at all gets the INVITE again, as Timer A would have sent it; one already over is only counted.
     * A cancelled fork that had rung gets its CANCEL again.
     *
     * @return the fork's branch id, empty if what was written down no longer parses
     */
    Optional<String> resume(InviteTransaction tx, HandedOverInvite.Fork f) {
        if (!(SipParser.parse(f.forwarded()) instanceof ParseResult.Parsed p) || !(p.message() instanceof SipRequest sent)) {
            return Optional.empty();
        }
        Timing timing = new Timing(driver.values(), TransactionDriver.reliable(f.destination()));
        if (f.finalStatus() != 0) {
            tx.branches.put(f.id(), new Branch(f.id(), f.target(), f.destination(), sent, f.finalStatus(),
                    f.provisional(), f.cancelled(), new InviteClientTransaction.Terminated()));
        } else if (f.provisional()) {
            tx.branches.put(f.id(), new Branch(f.id(), f.target(), f.destination(), sent, 0, true, f.cancelled(),
                    new InviteClientTransaction.Proceeding(timing)));
            if (f.cancelled()) {
                send(tx, ProxyMessages.cancelFor(sent), tx.branches.get(f.id()));
            }
        } else {
            start(tx, f.id(), f.target(), f.destination(), sent);
            if (f.cancelled()) {
                tx.branches.put(f.id(), tx.branches.get(f.id()).withCancelled());
            }
        }
        return Optional.of(f.id());
    }

    /**
     * A response of this fork.
     *
     * @return whether the entity (the proxy core) gets it: retransmitted finals are absorbed (their ACK sent again)
     */
    boolean onResponse(InviteTransaction tx, String branchId, SipResponse response) {
        Instant now = driver.now();
        return feed(tx, branchId, new TransactionEvent.ResponseReceived(response.status()), now,
                Optional.of(response)).stream()
                .anyMatch(Action.PassToTu.class::isInstance);
    }

    /** @return whether the fork just timed out (Timer B): no response at all within 64*T1 */
    boolean onTimer(InviteTransaction tx, String branchId, TimerName timer) {
        Instant now = driver.now();
        return feed(tx, branchId, new TransactionEvent.TimerFired(timer), now, Optional.empty()).stream()
                .anyMatch(Action.NotifyTuTimeout.class::isInstance);
    }

    void forget(InviteTransaction tx) {
        tx.branches.keySet().forEach(id -> driver.cancelAll(Kind.FORK, id));
    }

    private List<Action> feed(InviteTransaction tx, String branchId, ClientEvent event, Instant now,
                              Optional<SipResponse> response) {
        Branch branch = tx.branches.get(branchId);
        return perform(tx, branch, branch.machine().on(event, now), now, response);
    }

    /**
     * Moves the fork's machine on and performs its message actions; returns them.
     *
     * @param response the response being handled, for its ACK; empty for a timer or the start (no ACK then)
     */
    private List<Action> perform(InviteTransaction tx, Branch branch, Transition<InviteClientTransaction> t,
                                 Instant now, Optional<SipResponse> response) {
        tx.branches.put(branch.id(), branch.withMachine(t.next()));
        List<Action> actions = driver.run(Kind.FORK, branch.id(), t.actions(), now);
        for (Action action : actions) {
            if (action instanceof Action.SendRequest) {
                send(tx, branch.forwarded().bytes(), branch);
            } else if (action instanceof Action.SendAck) {
                response.ifPresent(r -> send(tx, ProxyMessages.ackFor(branch.forwarded(), r), branch));
            }
        }
        return actions;
    }

    private static void send(InviteTransaction tx, byte[] bytes, Branch branch) {
        tx.envelope.replyTo().tell(new Send(bytes, branch.destination()));
    }
}
