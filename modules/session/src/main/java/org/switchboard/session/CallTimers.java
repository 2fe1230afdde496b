package org.switchboard.session;

import org.switchboard.session.api.CallCommand;
import org.switchboard.session.proxy.InviteKey;
import org.switchboard.sip.transaction.TimerName;

/** The Call entity's own commands: its timers. Local to the entity's node, never sent between nodes. */
final class CallTimers {
    private CallTimers() {
    }

    /**
     * A timer one of the RFC 3261 transaction machines asked for is due (see {@link TransactionDriver}); the key
     * is the transaction's: an {@code InviteKey} (SERVER), a {@code BranchId} (FORK), a {@code ForwardedKey}.
     */
    record TransactionTimer(TransactionDriver.Kind kind, Object key, TimerName timer) implements CallCommand {
    }

    /** No answer in time: forward on no answer, or give up (Timer C). */
    record RingTimeout(InviteKey key) implements CallCommand {
    }

    /** The session timer ran out (RFC 4028). */
    record SessionExpiry() implements CallCommand {
    }

    /** The idle timer: passivate when nothing came for the sharding idle timeout (IdlePassivation). */
    record CheckIdle() implements CallCommand {
    }

    /** Sharding moves the entity to another node: ringing INVITEs are handed over, then it stops. */
    record HandOff() implements CallCommand {
    }

    /** 32 s after its final response (RFC 3261 Timer H/J) an INVITE transaction's retransmissions are over. */
    record ForgetTransaction(InviteKey key) implements CallCommand {
    }

    /** An INVITE taken over from the previous incarnation: the proxy core resumes it (asks again, re-arms). */
    record ResumeInvite(InviteKey key) implements CallCommand {
    }

    /** Arms and stops the session timer of an answered call (RFC 4028) from what the journal holds. */
    interface SessionTimerArm {
        void arm(CallState state);

        void stop();
    }

    /** The keys of the entity's timers: one of each kind per transaction, one session timer. */
    sealed interface TimerKey {
    }

    record RingKey(InviteKey invite) implements TimerKey {
    }

    record ForgetKey(InviteKey invite) implements TimerKey {
    }

    record AskKey(InviteKey invite) implements TimerKey {
    }

    record SessionKey() implements TimerKey {
    }

    record MaxDurationKey() implements TimerKey {
    }

    record TransactionKey(TransactionDriver.Kind kind, Object transaction, TimerName timer) implements TimerKey {
    }
}
