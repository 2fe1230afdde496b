package org.switchboard.session;

import org.switchboard.session.api.CallCommand;
import org.switchboard.sip.transaction.TimerName;

/** The Call entity's own commands: its timers. Local to the entity's node, never sent between nodes. */
final class CallTimers {
    private CallTimers() {
    }

    /** A timer one of the RFC 3261 transaction machines asked for is due (see {@link TransactionDriver}). */
    record TransactionTimer(TransactionDriver.Kind kind, String key, TimerName timer) implements CallCommand {
    }

    /** No answer in time: forward on no answer, or give up (Timer C). */
    record RingTimeout(String key) implements CallCommand {
    }

    /** The session timer ran out (RFC 4028). */
    record SessionExpiry() implements CallCommand {
    }

    /** Sharding moves the entity to another node: ringing INVITEs are handed over, then it stops. */
    record HandOff() implements CallCommand {
    }

    /** An INVITE taken over from the previous incarnation before it was routed: route it now. */
    record Reroute(String key) implements CallCommand {
    }

    /** 32 s after its final response (RFC 3261 Timer H/J) an INVITE transaction's retransmissions are over. */
    record ForgetTransaction(String key) implements CallCommand {
    }
}
