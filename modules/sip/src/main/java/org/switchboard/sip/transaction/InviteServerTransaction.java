package org.switchboard.sip.transaction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.sip.transaction.Action.CancelTimer;
import org.switchboard.sip.transaction.Action.NotifyTuTimeout;
import org.switchboard.sip.transaction.Action.NotifyTuTransportError;
import org.switchboard.sip.transaction.Action.PassAckToTu;
import org.switchboard.sip.transaction.Action.PassRequestToTu;
import org.switchboard.sip.transaction.Action.ResendLastResponse;
import org.switchboard.sip.transaction.Action.SendResponse;
import org.switchboard.sip.transaction.Action.SendTrying;
import org.switchboard.sip.transaction.Action.StartTimer;
import org.switchboard.sip.transaction.Action.Terminate;
import org.switchboard.sip.transaction.TransactionEvent.AckReceived;
import org.switchboard.sip.transaction.TransactionEvent.RequestRetransmitted;
import org.switchboard.sip.transaction.TransactionEvent.ServerEvent;
import org.switchboard.sip.transaction.TransactionEvent.TimerFired;
import org.switchboard.sip.transaction.TransactionEvent.TransportError;
import org.switchboard.sip.transaction.TransactionEvent.TuResponse;

/**
 * The INVITE server transaction: RFC 3261 §17.2.1 (Figure 7) as corrected by RFC 6026 §7.1 (a 2xx leads to
 * Accepted, which absorbs INVITE retransmissions and hands ACKs to the TU, and a transport error no longer
 * destroys the transaction).
 *
 * <pre>
 * state            event              actions                                  next
 * (start)          INVITE             to TU; send 100                          Proceeding
 * Proceeding       INVITE             resend last provisional                  Proceeding
 * Proceeding       1xx from TU        send                                     Proceeding
 * Proceeding       2xx from TU        send; L=64*T1                            Accepted   (RFC 6026)
 * Proceeding       300-699 from TU    send; G=T1 (unreliable); H=64*T1         Completed
 * Completed        INVITE             resend final                             Completed
 * Completed        Timer G            resend final; G=min(2G, T2)              Completed
 * Completed        ACK                cancel G, H; I                           Confirmed  (Terminated if I=0)
 * Completed        Timer H            tell TU: timeout                         Terminated
 * Confirmed        ACK, INVITE        absorbed
 * Confirmed        Timer I            -                                        Terminated
 * Accepted         INVITE             absorbed                                 Accepted   (RFC 6026)
 * Accepted         ACK                to TU                                    Accepted   (RFC 6026)
 * Accepted         2xx from TU        send                                     Accepted   (RFC 6026)
 * Accepted         Timer L            -                                        Terminated (RFC 6026)
 * any but Term.    transport error    tell TU                                  same state (RFC 6026)
 * any              anything else      absorbed
 * </pre>
 *
 * The 100 is always sent: RFC 3261 allows skipping it only when the TU is known to answer within 200 ms, and
 * sending it is always allowed. Proceeding has no timer of its own; the TU (a proxy's Timer C) bounds it.
 */
public sealed interface InviteServerTransaction {
    Transition<InviteServerTransaction> on(ServerEvent event, Instant now);

    /** A new INVITE matched no transaction (§17.2.3). */
    static Transition<InviteServerTransaction> start(TransactionTimers timers, boolean reliable, Instant now) {
        Timing timing = new Timing(timers, reliable);
        return Transition.of(new Proceeding(timing, 100), new PassRequestToTu(), new SendTrying());
    }

    /** The TU has the INVITE; {@code lastProvisional} is the status of the last 1xx sent (100 at first). */
    record Proceeding(Timing timing, int lastProvisional) implements InviteServerTransaction {
        @Override
        public Transition<InviteServerTransaction> on(ServerEvent event, Instant now) {
            if (event instanceof RequestRetransmitted) {
                return Transition.of(this, new ResendLastResponse(lastProvisional));
            }
            if (event instanceof TuResponse r && r.status() < 200) {
                return Transition.of(new Proceeding(timing, r.status()), new SendResponse(r.status()));
            }
            if (event instanceof TuResponse r && r.status() < 300) {
                // Retransmitting the 2xx is the TU's job (§13.3.1.4), so no Timer G here.
                return Transition.of(new Accepted(timing),
                        new SendResponse(r.status()), new StartTimer(TimerName.L, now.plus(timing.timerL())));
            }
            if (event instanceof TuResponse r) {
                List<Action> out = new ArrayList<>(3);
                out.add(new SendResponse(r.status()));
                if (timing.retransmits()) {
                    out.add(new StartTimer(TimerName.G, now.plus(timing.firstRetransmit())));
                }
                out.add(new StartTimer(TimerName.H, now.plus(timing.timerH())));
                return new Transition<>(new Completed(timing, r.status(), timing.firstRetransmit()), out);
            }
            return transportErrorOrStay(this, event);
        }
    }

    /**
     * A 300-699 response was sent and is retransmitted until the ACK arrives. {@code timerG} is the interval
     * Timer G is running with (not running over a reliable transport).
     */
    record Completed(Timing timing, int finalStatus, Duration timerG) implements InviteServerTransaction {
        @Override
        public Transition<InviteServerTransaction> on(ServerEvent event, Instant now) {
            if (event instanceof RequestRetransmitted) {
                return Transition.of(this, new ResendLastResponse(finalStatus));
            }
            if (event instanceof TimerFired t && t.timer() == TimerName.G && timing.retransmits()) {
                Duration next = timing.nextCapped(timerG);
                return Transition.of(new Completed(timing, finalStatus, next),
                        new ResendLastResponse(finalStatus), new StartTimer(TimerName.G, now.plus(next)));
            }
            if (event instanceof TimerFired t && t.timer() == TimerName.H) {
                // The ACK never came: the client is gone or unreachable.
                return Transition.of(new Terminated(), new NotifyTuTimeout(), new Terminate());
            }
            if (event instanceof AckReceived) {
                if (timing.timerI().isZero()) {
                    // Reliable transport: no ACK retransmissions to absorb, so Confirmed lasts no time.
                    return Transition.of(new Terminated(), new Terminate());
                }
                return Transition.of(new Confirmed(timing),
                        new CancelTimer(TimerName.G), new CancelTimer(TimerName.H),
                        new StartTimer(TimerName.I, now.plus(timing.timerI())));
            }
            // Any other final response from the TU is discarded: the client has one already.
            return transportErrorOrStay(this, event);
        }
    }

    /** The ACK arrived; ACK retransmissions are absorbed until Timer I. */
    record Confirmed(Timing timing) implements InviteServerTransaction {
        @Override
        public Transition<InviteServerTransaction> on(ServerEvent event, Instant now) {
            if (event instanceof TimerFired t && t.timer() == TimerName.I) {
                return Transition.of(new Terminated(), new Terminate());
            }
            return transportErrorOrStay(this, event);
        }
    }

    /**
     * RFC 6026: a 2xx was sent. INVITE retransmissions are absorbed (the TU retransmits its 2xx on its own), ACKs
     * and further 2xx (retransmissions, or other forks in a proxy) go through until Timer L.
     */
    record Accepted(Timing timing) implements InviteServerTransaction {
        @Override
        public Transition<InviteServerTransaction> on(ServerEvent event, Instant now) {
            if (event instanceof AckReceived) {
                return Transition.of(this, new PassAckToTu());
            }
            if (event instanceof TuResponse r && r.status() >= 200 && r.status() < 300) {
                return Transition.of(this, new SendResponse(r.status()));
            }
            if (event instanceof TimerFired t && t.timer() == TimerName.L) {
                return Transition.of(new Terminated(), new Terminate());
            }
            return transportErrorOrStay(this, event);
        }
    }

    /** Over; the executor has destroyed the transaction, and anything still arriving is ignored. */
    record Terminated() implements InviteServerTransaction {
        @Override
        public Transition<InviteServerTransaction> on(ServerEvent event, Instant now) {
            return Transition.stay(this);
        }
    }

    /**
     * RFC 6026 §7.1: a transport error is reported to the TU but does not end the transaction, which would
     * otherwise take a retransmitted INVITE for a new one; Timers H, I and L still end it.
     */
    private static Transition<InviteServerTransaction> transportErrorOrStay(InviteServerTransaction self,
                                                                          ServerEvent event) {
        if (event instanceof TransportError) {
            return Transition.of(self, new NotifyTuTransportError());
        }
        return Transition.stay(self);
    }
}
