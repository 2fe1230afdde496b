package org.switchboard.session;

import java.time.Duration;

/**
 * When an answered call must end though nobody hangs up: its session timer ran out (RFC 4028 §10) or it has
 * lasted the maximum call duration. One rule, pure, for the {@code Call} entity (its own timers while it is
 * awake) and for the node's call sweeper (which wakes calls that sleep, or whose node died, once it is due):
 * from what is persisted and the time, what to do.
 */
public final class CallDeadline {
    /** The cause written into {@code CallEnded}, and the BYEs' Reason text, of a call that lasted too long. */
    public static final String MAX_DURATION_CAUSE = "max-call-duration";
    /** No deadline at all (no session timer, no maximum duration). */
    public static final long NEVER = Long.MAX_VALUE;

    /** What the entity does about its deadline now. */
    public sealed interface Decision {
    }

    /** The call is over: BYE to both sides, {@code CallEnded(cause)}. */
    public record End(String cause) implements Decision {
    }

    /** Nothing is due before {@code atMillis} (epoch ms): look again then. */
    public record CheckAt(long atMillis) implements Decision {
    }

    /** The call has no deadline: not answered, already ended, or neither a session timer nor a limit. */
    public record NoDeadline() implements Decision {
    }

    private CallDeadline() {
    }

    /**
     * The epoch ms at which a call answered at {@code answeredAtMillis}, whose session runs out at
     * {@code sessionExpiresAtMillis} (0: no session timer), must end; {@link #NEVER} when it need not.
     */
    public static long deadline(long answeredAtMillis, long sessionExpiresAtMillis, Duration maxCallDuration) {
        return Math.min(sessionExpiresAtMillis > 0 ? sessionExpiresAtMillis : NEVER,
                maxDurationEnd(answeredAtMillis, maxCallDuration));
    }

    /** When the maximum duration of a call answered then is over; {@link #NEVER} without a limit. */
    public static long maxDurationEnd(long answeredAtMillis, Duration maxCallDuration) {
        if (maxCallDuration.isZero() || maxCallDuration.isNegative()) {
            return NEVER;
        }
        long max = maxCallDuration.toMillis();
        return answeredAtMillis > NEVER - max ? NEVER : answeredAtMillis + max;
    }

    /**
     * The decision for a call in {@code state} at {@code nowMillis}. When both deadlines have passed, the cause is
     * the one that came first (what a UA would have seen first).
     */
    public static Decision decide(CallState state, long nowMillis, Duration maxCallDuration) {
        if (!(state instanceof CallState.Answered a)) {
            return new NoDeadline();
        }
        long session = a.sessionExpiresAtMillis() > 0 ? a.sessionExpiresAtMillis() : NEVER;
        long max = maxDurationEnd(a.answeredAtMillis(), maxCallDuration);
        long first = Math.min(session, max);
        if (first == NEVER) {
            return new NoDeadline();
        }
        if (nowMillis < first) {
            return new CheckAt(first);
        }
        return new End(session <= max ? SessionTeardown.REASON : MAX_DURATION_CAUSE);
    }
}
