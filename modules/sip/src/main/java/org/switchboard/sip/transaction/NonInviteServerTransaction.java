package org.switchboard.sip.transaction;

import java.time.Instant;

import org.switchboard.sip.transaction.Action.NotifyTuTransportError;
import org.switchboard.sip.transaction.Action.PassRequestToTu;
import org.switchboard.sip.transaction.Action.ResendLastResponse;
import org.switchboard.sip.transaction.Action.SendResponse;
import org.switchboard.sip.transaction.Action.StartTimer;
import org.switchboard.sip.transaction.Action.Terminate;
import org.switchboard.sip.transaction.TransactionEvent.RequestRetransmitted;
import org.switchboard.sip.transaction.TransactionEvent.ServerEvent;
import org.switchboard.sip.transaction.TransactionEvent.TimerFired;
import org.switchboard.sip.transaction.TransactionEvent.TransportError;
import org.switchboard.sip.transaction.TransactionEvent.TuResponse;

/**
 * The non-INVITE server transaction: RFC 3261 §17.2.2 (Figure 8).
 *
 * <pre>
 * state            event              actions                                  next
 * (start)          request            to TU                                    Trying
 * Trying           request            absorbed
 * Trying/Proc.     1xx from TU        send                                     Proceeding
 * Trying/Proc.     200-699 from TU    send; J=64*T1 (0 reliable)               Completed (Terminated if J=0)
 * Proceeding       request            resend last provisional                  Proceeding
 * Completed        request            resend final                             Completed
 * Completed        response from TU   discarded
 * Completed        Timer J            -                                        Terminated
 * any but Term.    transport error    tell TU                                  Terminated (§17.2.4)
 * </pre>
 *
 * No 100 is sent on our own: for non-INVITE it is optional, and RFC 4320 §4.1 advises against it before the
 * client's Timer E has reached T2, which only the TU can judge. An ACK never matches a non-INVITE transaction
 * (§17.2.3), so one fed here is absorbed.
 */
public sealed interface NonInviteServerTransaction {
    Transition<NonInviteServerTransaction> on(ServerEvent event, Instant now);

    /** A new non-INVITE request (not ACK) matched no transaction (§17.2.3). */
    static Transition<NonInviteServerTransaction> start(TransactionTimers timers, boolean reliable, Instant now) {
        return Transition.of(new Trying(new Timing(timers, reliable)), new PassRequestToTu());
    }

    /** The TU has the request and nothing has been sent; retransmissions have nothing to repeat yet. */
    record Trying(Timing timing) implements NonInviteServerTransaction {
        @Override
        public Transition<NonInviteServerTransaction> on(ServerEvent event, Instant now) {
            return answering(this, timing, event, now);
        }
    }

    /** A provisional response was sent; {@code lastProvisional} answers retransmissions. */
    record Proceeding(Timing timing, int lastProvisional) implements NonInviteServerTransaction {
        @Override
        public Transition<NonInviteServerTransaction> on(ServerEvent event, Instant now) {
            if (event instanceof RequestRetransmitted) {
                return Transition.of(this, new ResendLastResponse(lastProvisional));
            }
            return answering(this, timing, event, now);
        }
    }

    /** The final response was sent; request retransmissions get it again until Timer J. */
    record Completed(Timing timing, int finalStatus) implements NonInviteServerTransaction {
        @Override
        public Transition<NonInviteServerTransaction> on(ServerEvent event, Instant now) {
            if (event instanceof RequestRetransmitted) {
                return Transition.of(this, new ResendLastResponse(finalStatus));
            }
            if (event instanceof TimerFired t && t.timer() == TimerName.J) {
                return Transition.of(new Terminated(), new Terminate());
            }
            return transportErrorOrStay(this, event);
        }
    }

    /** Over; the executor has destroyed the transaction, and anything still arriving is ignored. */
    record Terminated() implements NonInviteServerTransaction {
        @Override
        public Transition<NonInviteServerTransaction> on(ServerEvent event, Instant now) {
            return Transition.stay(this);
        }
    }

    /** The rules Trying and Proceeding share: responses from the TU and transport errors. */
    private static Transition<NonInviteServerTransaction> answering(NonInviteServerTransaction self, Timing timing,
                                                                    ServerEvent event, Instant now) {
        if (event instanceof TuResponse r && r.status() < 200) {
            return Transition.of(new Proceeding(timing, r.status()), new SendResponse(r.status()));
        }
        if (event instanceof TuResponse r) {
            if (timing.timerJ().isZero()) {
                // Reliable transport: no request retransmissions to absorb, so Completed lasts no time.
                return Transition.of(new Terminated(), new SendResponse(r.status()), new Terminate());
            }
            return Transition.of(new Completed(timing, r.status()),
                    new SendResponse(r.status()), new StartTimer(TimerName.J, now.plus(timing.timerJ())));
        }
        return transportErrorOrStay(self, event);
    }

    /** §17.2.4: once the transport has failed for good, the TU is told and the transaction ends. */
    private static Transition<NonInviteServerTransaction> transportErrorOrStay(NonInviteServerTransaction self,
                                                                             ServerEvent event) {
        if (event instanceof TransportError) {
            return Transition.of(new Terminated(), new NotifyTuTransportError(), new Terminate());
        }
        return Transition.stay(self);
    }
}
