package org.switchboard.sip.transaction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.sip.transaction.Action.CancelTimer;
import org.switchboard.sip.transaction.Action.NotifyTuTimeout;
import org.switchboard.sip.transaction.Action.NotifyTuTransportError;
import org.switchboard.sip.transaction.Action.PassToTu;
import org.switchboard.sip.transaction.Action.SendAck;
import org.switchboard.sip.transaction.Action.SendRequest;
import org.switchboard.sip.transaction.Action.StartTimer;
import org.switchboard.sip.transaction.Action.Terminate;
import org.switchboard.sip.transaction.TransactionEvent.ClientEvent;
import org.switchboard.sip.transaction.TransactionEvent.ResponseReceived;
import org.switchboard.sip.transaction.TransactionEvent.TimerFired;
import org.switchboard.sip.transaction.TransactionEvent.TransportError;

/**
 * The INVITE client transaction: RFC 3261 §17.1.1.2 (Figure 5) as corrected by RFC 6026 §7.2 (a 2xx leads to
 * Accepted, not straight to Terminated, so 2xx retransmissions and forked 2xx still reach the TU).
 *
 * <pre>
 * state            event              actions                                  next
 * (start)          INVITE from TU     send; A=T1 (unreliable); B=64*T1         Calling
 * Calling          Timer A            resend; A doubled                        Calling
 * Calling          Timer B            tell TU: timeout                         Terminated
 * Calling          1xx                to TU; cancel A, B                       Proceeding
 * Proceeding       1xx                to TU                                    Proceeding
 * Calling/Proc.    2xx                to TU; cancel A, B; M=64*T1              Accepted   (RFC 6026)
 * Calling/Proc.    300-699            ACK; to TU; cancel A, B; D               Completed  (Terminated if D=0)
 * Calling/Proc.    transport error    tell TU                                  Terminated (§17.1.4)
 * Completed        300-699            ACK again                                Completed
 * Completed        transport error    tell TU                                  Terminated
 * Completed        Timer D            -                                        Terminated
 * Accepted         2xx                to TU                                    Accepted   (RFC 6026)
 * Accepted         Timer M            -                                        Terminated (RFC 6026)
 * any              anything else      absorbed
 * </pre>
 *
 * Timer B is cancelled in Proceeding: once the server answered, an INVITE may ring for minutes, and bounding
 * that is the proxy's Timer C (§16.6), not the transaction's.
 */
public sealed interface InviteClientTransaction {
    Transition<InviteClientTransaction> on(ClientEvent event, Instant now);

    /** The TU hands an INVITE to a new client transaction. */
    static Transition<InviteClientTransaction> start(TransactionTimers timers, boolean reliable, Instant now) {
        Timing timing = new Timing(timers, reliable);
        List<Action> out = new ArrayList<>(3);
        out.add(new SendRequest());
        if (timing.retransmits()) {
            out.add(new StartTimer(TimerName.A, now.plus(timing.firstRetransmit())));
        }
        out.add(new StartTimer(TimerName.B, now.plus(timing.timerB())));
        return new Transition<>(new Calling(timing, timing.firstRetransmit()), out);
    }

    /**
     * The INVITE has been sent; no response yet. {@code timerA} is the interval Timer A is running with (not
     * running over a reliable transport).
     */
    record Calling(Timing timing, Duration timerA) implements InviteClientTransaction {
        @Override
        public Transition<InviteClientTransaction> on(ClientEvent event, Instant now) {
            if (event instanceof TimerFired t && t.timer() == TimerName.A && timing.retransmits()) {
                Duration next = timing.nextA(timerA);
                return Transition.of(new Calling(timing, next),
                        new SendRequest(), new StartTimer(TimerName.A, now.plus(next)));
            }
            if (event instanceof TimerFired t && t.timer() == TimerName.B) {
                return Transition.of(new Terminated(), new NotifyTuTimeout(), new Terminate());
            }
            if (event instanceof ResponseReceived r) {
                List<CancelTimer> cancels = timing.retransmits()
                        ? List.of(new CancelTimer(TimerName.A), new CancelTimer(TimerName.B))
                        : List.of(new CancelTimer(TimerName.B));
                return response(timing, r.status(), now, cancels);
            }
            if (event instanceof TransportError) {
                return transportError();
            }
            return Transition.stay(this);
        }
    }

    /** A provisional response arrived; retransmissions have stopped and the TU waits for a final one. */
    record Proceeding(Timing timing) implements InviteClientTransaction {
        @Override
        public Transition<InviteClientTransaction> on(ClientEvent event, Instant now) {
            if (event instanceof ResponseReceived r) {
                return response(timing, r.status(), now, List.of());
            }
            if (event instanceof TransportError) {
                return transportError();
            }
            return Transition.stay(this);
        }
    }

    /** A 300-699 response was acknowledged; retransmissions of it are acknowledged again until Timer D. */
    record Completed(Timing timing) implements InviteClientTransaction {
        @Override
        public Transition<InviteClientTransaction> on(ClientEvent event, Instant now) {
            if (event instanceof ResponseReceived r && r.status() >= 300) {
                // A retransmission means our ACK was lost; the TU already has this response.
                return Transition.of(this, new SendAck());
            }
            if (event instanceof TimerFired t && t.timer() == TimerName.D) {
                return Transition.of(new Terminated(), new Terminate());
            }
            if (event instanceof TransportError) {
                return transportError();
            }
            return Transition.stay(this);
        }
    }

    /**
     * RFC 6026: a 2xx arrived. The transaction stays to pass 2xx retransmissions (and 2xx from other forks) to
     * the TU, which ACKs each one itself, and so that they are not mistaken for strays.
     */
    record Accepted(Timing timing) implements InviteClientTransaction {
        @Override
        public Transition<InviteClientTransaction> on(ClientEvent event, Instant now) {
            if (event instanceof ResponseReceived r && r.status() >= 200 && r.status() < 300) {
                return Transition.of(this, new PassToTu(r.status()));
            }
            if (event instanceof TimerFired t && t.timer() == TimerName.M) {
                return Transition.of(new Terminated(), new Terminate());
            }
            // Nothing is sent from Accepted (the ACK is the TU's), so a transport error is not ours.
            return Transition.stay(this);
        }
    }

    /** Over; the executor has destroyed the transaction, and anything still arriving is ignored. */
    record Terminated() implements InviteClientTransaction {
        @Override
        public Transition<InviteClientTransaction> on(ClientEvent event, Instant now) {
            return Transition.stay(this);
        }
    }

    /** A response in Calling or Proceeding, after cancelling whatever timers Calling left running. */
    private static Transition<InviteClientTransaction> response(Timing timing, int status, Instant now,
                                                               List<CancelTimer> cancels) {
        List<Action> out = new ArrayList<>(5);
        if (status < 200) {
            out.add(new PassToTu(status));
            out.addAll(cancels);
            return new Transition<>(new Proceeding(timing), out);
        }
        if (status < 300) {
            out.add(new PassToTu(status));
            out.addAll(cancels);
            out.add(new StartTimer(TimerName.M, now.plus(timing.timerM())));
            return new Transition<>(new Accepted(timing), out);
        }
        out.add(new SendAck());
        out.add(new PassToTu(status));
        if (timing.timerD().isZero()) {
            // Reliable transport: no final-response retransmissions to absorb, so Completed lasts no time.
            out.add(new Terminate());
            return new Transition<>(new Terminated(), out);
        }
        out.addAll(cancels);
        out.add(new StartTimer(TimerName.D, now.plus(timing.timerD())));
        return new Transition<>(new Completed(timing), out);
    }

    private static Transition<InviteClientTransaction> transportError() {
        return Transition.of(new Terminated(), new NotifyTuTransportError(), new Terminate());
    }
}
