package org.switchboard.transport;

import org.switchboard.sip.SipMessage;

/** What the edge does with one inbound message. */
public sealed interface EdgeDecision {
    /** Answer the sender at once, statelessly, and go no further. */
    record Reply(byte[] response) implements EdgeDecision {
    }

    /** Hand the (Via-fixed) message to the cluster. */
    record Route(SipMessage message) implements EdgeDecision {
    }

    /**
     * Drop it; the reason is logged at DEBUG, and the drop counted as malformed or, for a response whose top Via
     * branch is not one of ours for its Call-ID, as a foreign response (forged, or a stray one: a separate count).
     */
    record Drop(String reason, boolean foreignResponse) implements EdgeDecision {
        public Drop(String reason) {
            this(reason, false);
        }
    }
}
