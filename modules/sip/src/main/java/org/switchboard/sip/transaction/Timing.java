package org.switchboard.sip.transaction;

import java.time.Duration;
import java.util.Objects;

/**
 * The timer values of one transaction: RFC 3261 Table 4 (Appendix A) for its transport, plus Timers L and M of
 * RFC 6026 §8. All values live here so the machines name timers, never arithmetic.
 *
 * @param reliable whether the transport is TCP, TLS or SCTP. Such a transport retransmits for us, so Timers A, E
 *                 and G are not run and the wait-for-retransmissions Timers D, I, J and K are zero.
 */
public record Timing(TransactionTimers timers, boolean reliable) {
    /** RFC 3261 §17.1.1.2: Timer D is "at least 32 seconds" over unreliable transports. */
    private static final Duration MIN_TIMER_D = Duration.ofSeconds(32);

    public Timing {
        Objects.requireNonNull(timers, "timers");
    }

    /** Whether Timers A, E and G run: only over unreliable transports. */
    public boolean retransmits() {
        return !reliable;
    }

    /** The first interval of Timers A, E and G. */
    public Duration firstRetransmit() {
        return timers.t1();
    }

    /** Timer A doubles without a cap (§17.1.1.2); Timer B ends the transaction first anyway. */
    public Duration nextA(Duration previous) {
        return previous.multipliedBy(2);
    }

    /** Timers E (in Trying) and G double up to T2 (§17.1.2.2, §17.2.1). */
    public Duration nextCapped(Duration previous) {
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(timers.t2()) > 0 ? timers.t2() : doubled;
    }

    /** Timer E once a provisional response arrived: the server is known to be working, so retransmit at T2. */
    public Duration proceedingE() {
        return timers.t2();
    }

    /** INVITE client transaction timeout. */
    public Duration timerB() {
        return timeout();
    }

    /**
     * Wait for retransmitted INVITE final responses. Never below 32 s over UDP, and scaled with a raised T1 too,
     * because the server retransmits for Timer H (64*T1).
     */
    public Duration timerD() {
        if (reliable) {
            return Duration.ZERO;
        }
        return timeout().compareTo(MIN_TIMER_D) > 0 ? timeout() : MIN_TIMER_D;
    }

    /** Non-INVITE client transaction timeout. */
    public Duration timerF() {
        return timeout();
    }

    /** Wait for the ACK of an INVITE final non-2xx response. */
    public Duration timerH() {
        return timeout();
    }

    /** Wait for ACK retransmissions. */
    public Duration timerI() {
        return reliable ? Duration.ZERO : timers.t4();
    }

    /** Wait for non-INVITE request retransmissions. */
    public Duration timerJ() {
        return reliable ? Duration.ZERO : timeout();
    }

    /** Wait for non-INVITE response retransmissions. */
    public Duration timerK() {
        return reliable ? Duration.ZERO : timers.t4();
    }

    /** RFC 6026: how long an INVITE server transaction absorbs INVITE retransmissions after a 2xx. */
    public Duration timerL() {
        return timeout();
    }

    /** RFC 6026: how long an INVITE client transaction passes 2xx retransmissions and forks to the TU. */
    public Duration timerM() {
        return timeout();
    }

    private Duration timeout() {
        return timers.t1().multipliedBy(64);
    }
}
