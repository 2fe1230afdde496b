package org.switchboard.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.testkit.ExplicitlyTriggeredScheduler;

/**
 * A clock that moves only when a test moves it: by hand ({@link #advance}), or with Akka's ManualTime
 * ({@link #following}), so that an entity's timers and the instants it reads from its clock agree. UTC, millisecond
 * resolution, starting at a fixed instant so that every run sees the same dates.
 */
public final class TestClock extends Clock {
    /** Where every test clock starts: 2027-01-15T08:00:00Z. */
    public static final Instant START = Instant.ofEpochMilli(1_800_000_000_000L);

    private final LongSupplier scheduledMillis;
    private final AtomicLong advancedMillis = new AtomicLong();

    private TestClock(LongSupplier scheduledMillis) {
        this.scheduledMillis = scheduledMillis;
    }

    /** A clock only {@link #advance} moves. */
    public static TestClock manual() {
        return new TestClock(() -> 0L);
    }

    /**
     * A clock that reads the simulated time of an actor system started on {@code ManualTime.config()}: when
     * {@code ManualTime.timePasses} fires a timer, the entity handling it reads the timer's own instant.
     *
     * @throws IllegalArgumentException when the system runs on the real scheduler (the clock would stand still
     *                                  while timers fire in real time)
     */
    public static TestClock following(ActorSystem<?> system) {
        akka.actor.Scheduler scheduler = Adapter.toClassic(system).scheduler();
        if (!(scheduler instanceof ExplicitlyTriggeredScheduler manual)) {
            throw new IllegalArgumentException("the actor system " + system.name()
                    + " does not run on ManualTime.config(): its scheduler is " + scheduler.getClass().getName());
        }
        return following(manual);
    }

    /** A clock that reads the time of a ManualTime scheduler. */
    static TestClock following(ExplicitlyTriggeredScheduler scheduler) {
        return new TestClock(scheduler::currentTimeMs);
    }

    /** Moves the clock on by {@code d} (not the timers: ManualTime moves those). */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time does not go backwards: " + d);
        }
        advancedMillis.addAndGet(d.toMillis());
    }

    @Override
    public long millis() {
        return START.toEpochMilli() + scheduledMillis.getAsLong() + advancedMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Tests read UTC only; another zone would be a second clock that does not move with this one. */
    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone.normalized())) {
            throw new UnsupportedOperationException("test clocks are UTC: " + zone);
        }
        return this;
    }
}
