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

    /** Drop it; the reason is counted. */
    record Drop(String reason) implements EdgeDecision {
    }
}
