package org.switchboard.session;

import org.switchboard.session.api.CallCommand;

/** The Call entity's own commands: its timers. Local to the entity's node, never sent between nodes. */
final class CallTimers {
    private CallTimers() {
    }

    /** Timer A (retransmit over UDP) or B (give up) of one fork. */
    record BranchTimer(String key, String branchId, boolean giveUp) implements CallCommand {
    }

    /** No answer in time: forward on no answer, or give up (Timer C). */
    record RingTimeout(String key) implements CallCommand {
    }

    /** Timer G: our non-2xx final to the caller is not acknowledged yet; send it again (RFC 3261 §17.2.1). */
    record RetransmitFinal(String key, long intervalMillis, long elapsedMillis) implements CallCommand {
    }

    /** The session timer ran out (RFC 4028). */
    record SessionExpiry() implements CallCommand {
    }

    /** 32 s after its final response (RFC 3261 Timer H/J) an INVITE transaction's retransmissions are over. */
    record ForgetTransaction(String key) implements CallCommand {
    }
}
