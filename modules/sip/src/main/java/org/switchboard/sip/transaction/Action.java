package org.switchboard.sip.transaction;

import java.time.Instant;
import java.util.Objects;

/**
 * What a transition asks its executor to do, in list order. Actions name messages rather than carry them: the
 * executor holds the request and the last response, so the machines stay free of message bytes.
 */
public sealed interface Action {
    /** Pass the request to the transport: the first transmission and every retransmission. */
    record SendRequest() implements Action {
    }

    /** Build (§17.1.1.3) and send the ACK for a 300-699 response; for a 2xx the ACK is the TU's business. */
    record SendAck() implements Action {
    }

    /** Generate and send a 100 (Trying) for an INVITE (§17.2.1), so the client stops retransmitting. */
    record SendTrying() implements Action {
    }

    /** Send the response the TU just passed in; the status is there to check and log. */
    record SendResponse(int status) implements Action {
    }

    /** Send the last response again, as a retransmission; the status says which one it is. */
    record ResendLastResponse(int status) implements Action {
    }

    /** Hand the request that created this server transaction to the TU. */
    record PassRequestToTu() implements Action {
    }

    /** Hand the response just received to the TU. */
    record PassToTu(int status) implements Action {
    }

    /** RFC 6026: hand an ACK for a 2xx to the TU (it belongs to the dialog, not to this transaction). */
    record PassAckToTu() implements Action {
    }

    /** Tell the TU the transaction timed out (Timers B, F, H); a 408 upstream, if any, is the TU's decision. */
    record NotifyTuTimeout() implements Action {
    }

    /** Tell the TU the transport failed (§17.1.4, §17.2.4). */
    record NotifyTuTransportError() implements Action {
    }

    /** Schedule {@code timer} for {@code deadline}, replacing a pending timer of the same name. */
    record StartTimer(TimerName timer, Instant deadline) implements Action {
        public StartTimer {
            Objects.requireNonNull(timer, "timer");
            Objects.requireNonNull(deadline, "deadline");
        }
    }

    /** Drop a pending timer; nothing happens if it is not pending. */
    record CancelTimer(TimerName timer) implements Action {
        public CancelTimer {
            Objects.requireNonNull(timer, "timer");
        }
    }

    /** Destroy the transaction and all its timers now. Always the last action of a transition. */
    record Terminate() implements Action {
    }
}
