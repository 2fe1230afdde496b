package org.switchboard.sip.transaction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.sip.transaction.Action.CancelTimer;
import org.switchboard.sip.transaction.Action.NotifyTuTimeout;
import org.switchboard.sip.transaction.Action.NotifyTuTransportError;
import org.switchboard.sip.transaction.Action.PassToTu;
import org.switchboard.sip.transaction.Action.SendRequest;
import org.switchboard.sip.transaction.Action.StartTimer;
import org.switchboard.sip.transaction.Action.Terminate;
import org.switchboard.sip.transaction.TransactionEvent.ClientEvent;
import org.switchboard.sip.transaction.TransactionEvent.ResponseReceived;
import org.switchboard.sip.transaction.TransactionEvent.TimerFired;
import org.switchboard.sip.transaction.TransactionEvent.TransportError;

/**
 * The non-INVITE client transaction: RFC 3261 §17.1.2.2 (Figure 6).
 *
 * <pre>
 * state            event              actions                                  next
 * (start)          request from TU    send; E=T1 (unreliable); F=64*T1         Trying
 * Trying           Timer E            resend; E=min(2E, T2)                    Trying
 * Proceeding       Timer E            resend; E=T2                             Proceeding
 * Trying/Proc.     1xx                to TU                                    Proceeding
 * Trying/Proc.     200-699            to TU; cancel E, F; K                    Completed (Terminated if K=0)
 * Trying/Proc.     Timer F            tell TU: timeout                         Terminated
 * Trying/Proc.     transport error    tell TU                                  Terminated
 * Completed        any response       absorbed
 * Completed        Timer K            -                                        Terminated
 * </pre>
 *
 * Entering Proceeding leaves the pending Timer E alone: the RFC changes its interval to T2 only when it next
 * fires. Timer F keeps running in Proceeding, unlike Timer B, because a non-INVITE must be answered promptly.
 */
public sealed interface NonInviteClientTransaction {
    Transition<NonInviteClientTransaction> on(ClientEvent event, Instant now);

    /** The TU hands a non-INVITE request (not ACK, which has no transaction) to a new client transaction. */
    static Transition<NonInviteClientTransaction> start(TransactionTimers timers, boolean reliable, Instant now) {
        Timing timing = new Timing(timers, reliable);
        List<Action> out = new ArrayList<>(3);
        out.add(new SendRequest());
        if (timing.retransmits()) {
            out.add(new StartTimer(TimerName.E, now.plus(timing.firstRetransmit())));
        }
        out.add(new StartTimer(TimerName.F, now.plus(timing.timerF())));
        return new Transition<>(new Trying(timing, timing.firstRetransmit()), out);
    }

    /**
     * The request has been sent; no response yet. {@code timerE} is the interval Timer E is running with (not
     * running over a reliable transport).
     */
    record Trying(Timing timing, Duration timerE) implements NonInviteClientTransaction {
        @Override
        public Transition<NonInviteClientTransaction> on(ClientEvent event, Instant now) {
            if (event instanceof TimerFired t && t.timer() == TimerName.E && timing.retransmits()) {
                Duration next = timing.nextCapped(timerE);
                return Transition.of(new Trying(timing, next),
                        new SendRequest(), new StartTimer(TimerName.E, now.plus(next)));
            }
            return waiting(this, timing, event, now);
        }
    }

    /** A provisional response arrived; the request is still retransmitted, at T2, until a final one. */
    record Proceeding(Timing timing) implements NonInviteClientTransaction {
        @Override
        public Transition<NonInviteClientTransaction> on(ClientEvent event, Instant now) {
            if (event instanceof TimerFired t && t.timer() == TimerName.E && timing.retransmits()) {
                return Transition.of(this,
                        new SendRequest(), new StartTimer(TimerName.E, now.plus(timing.proceedingE())));
            }
            return waiting(this, timing, event, now);
        }
    }

    /** A final response arrived; its retransmissions are absorbed until Timer K. */
    record Completed(Timing timing) implements NonInviteClientTransaction {
        @Override
        public Transition<NonInviteClientTransaction> on(ClientEvent event, Instant now) {
            if (event instanceof TimerFired t && t.timer() == TimerName.K) {
                return Transition.of(new Terminated(), new Terminate());
            }
            return Transition.stay(this);
        }
    }

    /** Over; the executor has destroyed the transaction, and anything still arriving is ignored. */
    record Terminated() implements NonInviteClientTransaction {
        @Override
        public Transition<NonInviteClientTransaction> on(ClientEvent event, Instant now) {
            return Transition.stay(this);
        }
    }

    /** The rules Trying and Proceeding share: responses, Timer F and transport errors. */
    private static Transition<NonInviteClientTransaction> waiting(NonInviteClientTransaction self, Timing timing,
                                                                  ClientEvent event, Instant now) {
        if (event instanceof ResponseReceived r && r.status() < 200) {
            return Transition.of(new Proceeding(timing), new PassToTu(r.status()));
        }
        if (event instanceof ResponseReceived r) {
            List<Action> out = new ArrayList<>(5);
            out.add(new PassToTu(r.status()));
            if (timing.timerK().isZero()) {
                // Reliable transport: no response retransmissions to absorb, so Completed lasts no time.
                out.add(new Terminate());
                return new Transition<>(new Terminated(), out);
            }
            out.add(new CancelTimer(TimerName.E));
            out.add(new CancelTimer(TimerName.F));
            out.add(new StartTimer(TimerName.K, now.plus(timing.timerK())));
            return new Transition<>(new Completed(timing), out);
        }
        if (event instanceof TimerFired t && t.timer() == TimerName.F) {
            return Transition.of(new Terminated(), new NotifyTuTimeout(), new Terminate());
        }
        if (event instanceof TransportError) {
            return Transition.of(new Terminated(), new NotifyTuTransportError(), new Terminate());
        }
        return Transition.stay(self);
    }
}
