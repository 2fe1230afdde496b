package org.switchboard.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.session.TransactionDriver.Kind;
import org.switchboard.sip.transaction.Action;
import org.switchboard.sip.transaction.InviteServerTransaction;
import org.switchboard.sip.transaction.TimerName;
import org.switchboard.sip.transaction.Timing;
import org.switchboard.sip.transaction.TransactionEvent;
import org.switchboard.sip.transaction.TransactionEvent.ServerEvent;
import org.switchboard.sip.transaction.Transition;

/**
 * The caller's side of a proxied INVITE, driven by the RFC 3261 §17.2.1 server transaction (with RFC 6026): a
 * 100 Trying at once, the last response replayed to retransmissions of the INVITE, a non-2xx final sent again
 * over UDP (Timer G) until the caller's ACK ends it hop by hop, or Timer H gives up on it.
 */
final class CallerTransactions {
    private static final Logger log = LoggerFactory.getLogger(CallerTransactions.class);

    private final TransactionDriver driver;

    CallerTransactions(TransactionDriver driver) {
        this.driver = driver;
    }

    /** A new INVITE: its transaction starts, which answers 100 Trying right away (well within 200 ms). */
    void start(ProxiedInvite tx) {
        Instant now = driver.now();
        perform(tx, InviteServerTransaction.start(driver.values(), TransactionDriver.reliable(tx.upstream), now), now,
                Optional.empty());
    }

    /**
     * The INVITE's transaction on the node it was handed over to: in Proceeding, where the caller has its 100 (or a
     * provisional) already, so nothing is sent, and nothing for the INVITE that wakes the entity there either.
     */
    void resume(ProxiedInvite tx) {
        tx.server = Optional.of(new InviteServerTransaction.Proceeding(
                new Timing(driver.values(), TransactionDriver.reliable(tx.upstream)), 100));
        tx.lastResponse = Optional.empty();
    }

    /**
     * Sends a response upstream through the transaction. A 2xx always goes, even when the transaction is over or
     * already sent a non-2xx: a proxy forwards every 2xx (RFC 6026 §7.3), the caller's UA sorts them out.
     */
    void respond(ProxiedInvite tx, byte[] response, int status) {
        Instant now = driver.now();
        boolean sent = perform(tx, feed(tx, new TransactionEvent.TuResponse(status), now), now, Optional.of(response))
                .stream().anyMatch(Action.SendResponse.class::isInstance);
        if (!sent && status >= 200 && status < 300) {
            send(tx, response);
        }
    }

    /** The caller sent the INVITE again: it gets the last response again (or nothing, once a 2xx went). */
    void retransmitted(ProxiedInvite tx) {
        Instant now = driver.now();
        perform(tx, feed(tx, new TransactionEvent.RequestRetransmitted(), now), now, Optional.empty());
    }

    /** The ACK of our non-2xx final: it stops Timer G and ends here (§17.2.1). */
    void acknowledged(ProxiedInvite tx) {
        Instant now = driver.now();
        perform(tx, feed(tx, new TransactionEvent.AckReceived(), now), now, Optional.empty());
    }

    void onTimer(ProxiedInvite tx, TimerName timer) {
        Instant now = driver.now();
        perform(tx, feed(tx, new TransactionEvent.TimerFired(timer), now), now, Optional.empty());
    }

    void forget(ProxiedInvite tx) {
        driver.cancelAll(Kind.SERVER, tx.key());
    }

    private Transition<InviteServerTransaction> feed(ProxiedInvite tx, ServerEvent event, Instant now) {
        // every InviteTransaction starts its server transaction on creation; a missing one absorbs like Terminated
        return tx.server.map(s -> s.on(event, now))
                .orElseGet(() -> new Transition<>(new InviteServerTransaction.Terminated(), List.of()));
    }

    /** Moves the machine on and performs its message actions; returns them. */
    private List<Action> perform(ProxiedInvite tx, Transition<InviteServerTransaction> t, Instant now,
                                 Optional<byte[]> response) {
        tx.server = Optional.of(t.next());
        List<Action> actions = driver.run(Kind.SERVER, tx.key(), t.actions(), now);
        for (Action action : actions) {
            if (action instanceof Action.SendTrying) {
                tx.lastResponse = Optional.of(tx.request.response(100, "Trying").toBytes());
                send(tx, tx.lastResponse.get());
            } else if (action instanceof Action.SendResponse) {
                tx.lastResponse = response;
                response.ifPresent(r -> send(tx, r));
            } else if (action instanceof Action.ResendLastResponse) {
                tx.lastResponse.ifPresent(r -> send(tx, r));
            } else if (action instanceof Action.NotifyTuTimeout) {
                // Timer H: the caller never acknowledged our final; nothing more to do, it is gone or unreachable
                log.debug("INVITE transaction {}: no ACK for final {} (Timer H)", tx.key(), tx.finalStatus());
            }
        }
        return actions;
    }

    private void send(ProxiedInvite tx, byte[] bytes) {
        driver.send(tx.envelope, bytes, tx.upstream);
    }
}
