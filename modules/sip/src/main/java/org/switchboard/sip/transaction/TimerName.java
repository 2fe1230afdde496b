package org.switchboard.sip.transaction;

/**
 * The transaction timers of RFC 3261 Table 4 and RFC 6026 §8. Timer C is absent on purpose: it belongs to the
 * proxy core (§16.6 step 11), not to a transaction.
 */
public enum TimerName {
    /** INVITE request retransmission, unreliable transports only. */
    A,
    /** INVITE client transaction timeout. */
    B,
    /** INVITE client: wait for response retransmissions in Completed. */
    D,
    /** Non-INVITE request retransmission, unreliable transports only. */
    E,
    /** Non-INVITE client transaction timeout. */
    F,
    /** INVITE final response retransmission, unreliable transports only. */
    G,
    /** INVITE server: wait for the ACK. */
    H,
    /** INVITE server: wait for ACK retransmissions in Confirmed. */
    I,
    /** Non-INVITE server: wait for request retransmissions in Completed. */
    J,
    /** Non-INVITE client: wait for response retransmissions in Completed. */
    K,
    /** RFC 6026: INVITE server, wait in Accepted. */
    L,
    /** RFC 6026: INVITE client, wait in Accepted. */
    M
}
