package org.switchboard.registrar;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.switchboard.registrar.api.RegistrationCommand;

import akka.actor.typed.javadsl.TimerScheduler;

/**
 * The answer to a Registration entity's last REGISTER, kept for that request's retransmissions (RFC 3261 Timer F:
 * 32 s). One timer per window rather than one restarted by every REGISTER: when it runs, an answer younger than
 * the window sets it again for the rest.
 */
final class LastResponse {
    private static final Object TIMER = "forget-response";
    private static final Duration WINDOW = Duration.ofSeconds(32);
    private static final byte[] EMPTY = new byte[0];

    private final TimerScheduler<RegistrationCommand> timers;
    private final Clock clock;
    private final RegistrationCommand forget;
    private String requestKey = "";
    private byte[] response = EMPTY;
    private long atMillis;

    /** @param forget the command that {@link #forgetIfOld()} handles, sent by the timer */
    LastResponse(TimerScheduler<RegistrationCommand> timers, Clock clock, RegistrationCommand forget) {
        this.timers = timers;
        this.clock = clock;
        this.forget = forget;
    }

    /** The answer already given to {@code key} (a Via branch and CSeq), while its window lasts. */
    Optional<byte[]> to(String key) {
        return key.equals(requestKey) ? Optional.of(response) : Optional.empty();
    }

    void remember(String key, byte[] answer, long nowMillis) {
        requestKey = key;
        response = answer;
        atMillis = nowMillis;
        if (!timers.isTimerActive(TIMER)) {
            timers.startSingleTimer(TIMER, forget, WINDOW);
        }
    }

    /** The request's retransmissions are to be handled again (its answer was not what it got after all). */
    void forget() {
        requestKey = "";
        response = EMPTY;
    }

    /** The timer ran: forget the answer if its window is over, else run again for the rest of it. */
    void forgetIfOld() {
        long left = atMillis + WINDOW.toMillis() - clock.millis();
        if (left > 0) {
            timers.startSingleTimer(TIMER, forget, Duration.ofMillis(left));
        } else {
            forget();
        }
    }
}
