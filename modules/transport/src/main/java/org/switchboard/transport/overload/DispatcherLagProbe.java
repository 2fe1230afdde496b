package org.switchboard.transport.overload;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;

/**
 * Measures how late the node's actors run: a tick scheduled every {@code interval} on the default dispatcher is
 * handled {@code lag} after it was due. A saturated dispatcher (CPU, a flood of messages) shows as a growing lag
 * long before phones time out, and unlike a message's age it does not mistake a failover's buffering for load.
 * The collector's pauses since the tick was scheduled are not lag: the whole JVM stood still, queues did not grow
 * behind busy actors, and a node that only paused keeps up once it runs again. Each tick also logs, at most every
 * ten seconds, how much new work was refused and why ({@link RefusalSummary}).
 */
public final class DispatcherLagProbe {
    private record Tick(long dueNanos, long pausedNanos) {
    }

    /** Under the gauge's name: what an operator looks for when phones get 503. */
    private static final Logger LOG = LoggerFactory.getLogger(Overload.class);
    /** At most one log line of refused work this often. */
    private static final long SUMMARY_EVERY_MILLIS = 10_000;

    private DispatcherLagProbe() {
    }

    public static Behavior<Object> create(Overload overload, Duration interval) {
        return create(overload, interval, System::nanoTime, new CollectorPauses());
    }

    static Behavior<Object> create(Overload overload, Duration interval, LongSupplier nanoClock,
                                   LongSupplier collectorPauses) {
        long step = interval.toNanos();
        return Behaviors.withTimers(timers -> {
            long start = nanoClock.getAsLong();
            RefusalSummary refusals = new RefusalSummary(SUMMARY_EVERY_MILLIS, start / 1_000_000);
            timers.startSingleTimer(new Tick(start + step, collectorPauses.getAsLong()), interval);
            return Behaviors.receive(Object.class)
                    .onMessage(Tick.class, tick -> {
                        long now = nanoClock.getAsLong();
                        long paused = collectorPauses.getAsLong();
                        overload.dispatcherLag(lagBeyondPauses(tick.dueNanos(), now, paused - tick.pausedNanos()));
                        refusals.at(now / 1_000_000, overload.refusedForJournal(), overload.refusedForLag())
                                .ifPresent(LOG::warn);
                        timers.startSingleTimer(new Tick(now + step, paused), interval);
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    /** How late a tick due at {@code dueNanos} ran at {@code nowNanos}, less the collector's pauses in between. */
    static long lagBeyondPauses(long dueNanos, long nowNanos, long pausedNanos) {
        return Math.max(0, nowNanos - dueNanos - Math.max(0, pausedNanos));
    }
}
