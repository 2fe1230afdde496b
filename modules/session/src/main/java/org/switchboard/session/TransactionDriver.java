package org.switchboard.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.session.CallTimers.TransactionTimer;
import org.switchboard.session.api.CallCommand;
import org.switchboard.sip.transaction.Action;
import org.switchboard.sip.transaction.TimerName;
import org.switchboard.sip.transaction.TransactionTimers;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.SendPaths;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.api.TransportLocator;

import akka.actor.typed.javadsl.TimerScheduler;

/**
 * The executor half of the sip module's transaction machines (see {@code org.switchboard.sip.transaction}) that
 * every kind of transaction of a Call shares: the entity's clock, and the machines' timers as Akka timers keyed
 * by kind, transaction and timer name, delivered back as {@link TransactionTimer}; and the way out, through the
 * send path of the transport node a message came through, or a live one once that node is lost. The actions that
 * touch messages are left to the caller, who holds the messages.
 */
final class TransactionDriver {
    /** Which map of the entity a transaction lives in, so a due timer finds it again. */
    enum Kind {
        /** The caller's INVITE: an {@code InviteServerTransaction}, keyed by the INVITE transaction key. */
        SERVER,
        /** One fork of a proxied INVITE: an {@code InviteClientTransaction}, keyed by our branch. */
        FORK,
        /** A forwarded in-dialog non-INVITE request: a {@code NonInviteClientTransaction}. */
        FORWARDED,
        /** An out-of-dialog non-INVITE request: a {@code NonInviteServerTransaction}, keyed by its {@code RequestKey}. */
        REQUEST,
        /** One fork of such a request: a {@code NonInviteClientTransaction}, keyed by our branch. */
        REQUEST_FORK
    }

    private final TimerScheduler<CallCommand> timers;
    private final Clock clock;
    private final TransactionTimers values;
    private final TransportLocator transports;

    TransactionDriver(TimerScheduler<CallCommand> timers, SessionSettings settings) {
        this.timers = timers;
        this.clock = settings.clock();
        this.transports = settings.transports();
        // T2 and T4 are the RFC's; only T1 is configurable (a raised T1 scales every timeout with it)
        Duration t1 = settings.t1();
        this.values = new TransactionTimers(t1, maxOf(t1, Duration.ofSeconds(4)), Duration.ofSeconds(5));
    }

    TransactionTimers values() {
        return values;
    }

    /** Read once per message or timer and passed to the machine, as its contract asks. */
    Instant now() {
        return Instant.now(clock);
    }

    /**
     * Sends {@code bytes} to {@code destination} through the transport node {@code via} came through, unless that
     * node is lost: a transaction's later messages (a 2xx sent again, Timer G, an ACK) go through a live one then.
     */
    void send(Envelope via, byte[] bytes, Destination destination) {
        SendPaths.send(transports.orLive(via.replyTo()), new Send(bytes, destination));
    }

    /** TCP and TLS retransmit for us, so the machines run no retransmission timers over them. */
    static boolean reliable(Destination hop) {
        return hop.transport() != SipTransport.UDP;
    }

    /**
     * Performs the timer actions (and drops every timer on {@code Terminate}) and returns the other actions, in
     * their order, for the caller, who holds the messages they name.
     */
    List<Action> run(Kind kind, Object key, List<Action> actions, Instant now) {
        List<Action> rest = new ArrayList<>(actions.size());
        for (Action action : actions) {
            if (action instanceof Action.StartTimer start) {
                Duration delay = Duration.between(now, start.deadline());
                timers.startSingleTimer(timerKey(kind, key, start.timer()), new TransactionTimer(kind, key, start.timer()),
                        delay.isNegative() ? Duration.ZERO : delay);
            } else if (action instanceof Action.CancelTimer cancel) {
                timers.cancel(timerKey(kind, key, cancel.timer()));
            } else {
                if (action instanceof Action.Terminate) {
                    cancelAll(kind, key);
                }
                rest.add(action);
            }
        }
        return rest;
    }

    /** Drops every timer of a transaction the entity forgets before its machine ended. */
    void cancelAll(Kind kind, Object key) {
        for (TimerName name : TimerName.values()) {
            timers.cancel(timerKey(kind, key, name));
        }
    }

    private static CallTimers.TransactionKey timerKey(Kind kind, Object key, TimerName name) {
        return new CallTimers.TransactionKey(kind, key, name);
    }

    private static Duration maxOf(Duration a, Duration b) {
        return a.compareTo(b) > 0 ? a : b;
    }
}
