package org.switchboard.sip.transaction;

import java.util.Objects;

/**
 * What happens to a transaction. Client and server machines accept different subsets, so feeding a server event
 * to a client transaction does not compile.
 */
public sealed interface TransactionEvent {
    /** Events of a client transaction. */
    sealed interface ClientEvent extends TransactionEvent {
    }

    /** Events of a server transaction. */
    sealed interface ServerEvent extends TransactionEvent {
    }

    /** A response matched this client transaction (§17.1.3). */
    record ResponseReceived(int status) implements ClientEvent {
        public ResponseReceived {
            checkStatus(status);
        }
    }

    /** A retransmission of the request matched this server transaction (§17.2.3). */
    record RequestRetransmitted() implements ServerEvent {
    }

    /** The TU passed a response to this server transaction for sending. */
    record TuResponse(int status) implements ServerEvent {
        public TuResponse {
            checkStatus(status);
        }
    }

    /** An ACK matched this INVITE server transaction (§17.2.3: ACK matches the INVITE's transaction). */
    record AckReceived() implements ServerEvent {
    }

    /** A timer this transaction started is due. */
    record TimerFired(TimerName timer) implements ClientEvent, ServerEvent {
        public TimerFired {
            Objects.requireNonNull(timer, "timer");
        }
    }

    /** The transport could not send this transaction's last message (§17.1.4, §17.2.4). */
    record TransportError() implements ClientEvent, ServerEvent {
    }

    private static void checkStatus(int status) {
        // RFC 3261 §7.2: three digits, first digit 1 to 6; anything else is not a response we can classify.
        if (status < 100 || status > 699) {
            throw new IllegalArgumentException("status code out of range: " + status);
        }
    }
}
