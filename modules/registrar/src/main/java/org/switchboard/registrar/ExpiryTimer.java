package org.switchboard.registrar;

import java.time.Clock;
import java.time.Duration;

import org.switchboard.registrar.api.RegistrationCommand;

import akka.actor.typed.javadsl.TimerScheduler;

/**
 * A Registration entity's timer for its first binding's end. A timer that would run earlier is kept: a refresh only
 * moves an end later, and an early run finds nothing expired and sets the timer again, so a device that refreshes
 * costs one timer run per registration interval instead of a timer restarted by every REGISTER.
 */
final class ExpiryTimer {
    private static final Object TIMER = "expiry";
    private static final long NONE = Long.MAX_VALUE;

    private final TimerScheduler<RegistrationCommand> timers;
    private final Clock clock;
    private final RegistrationCommand expire;
    /** When the timer runs; {@link #NONE} while none does. */
    private long atMillis = NONE;

    /** @param expire the command the timer sends */
    ExpiryTimer(TimerScheduler<RegistrationCommand> timers, Clock clock, RegistrationCommand expire) {
        this.timers = timers;
        this.clock = clock;
        this.expire = expire;
    }

    /** The first binding ends at {@code endMillis} ({@code Long.MAX_VALUE}: no binding left). */
    void firstEndAt(long endMillis) {
        if (endMillis == Long.MAX_VALUE) {
            if (atMillis != NONE) {
                timers.cancel(TIMER);
                atMillis = NONE;
            }
            return;
        }
        long at = endMillis + 1;
        if (atMillis <= at) {
            return;
        }
        timers.startSingleTimer(TIMER, expire, Duration.ofMillis(Math.max(0, at - clock.millis())));
        atMillis = at;
    }

    /** The timer ran. */
    void fired() {
        atMillis = NONE;
    }
}
