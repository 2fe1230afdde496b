package org.switchboard.transport.overload;

import java.time.Duration;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;

/**
 * Measures how late the node's actors run: a tick scheduled every {@code interval} on the default dispatcher is
 * handled {@code lag} after it was due. A saturated dispatcher (CPU, a flood of messages) shows as a growing lag
 * long before phones time out, and unlike a message's age it does not mistake a failover's buffering for load.
 */
public final class DispatcherLagProbe {
    private record Tick(long dueNanos) {
    }

    private DispatcherLagProbe() {
    }

    public static Behavior<Object> create(Overload overload, Duration interval) {
        return Behaviors.withTimers(timers -> {
            timers.startSingleTimer(new Tick(System.nanoTime() + interval.toNanos()), interval);
            return Behaviors.receive(Object.class)
                    .onMessage(Tick.class, tick -> {
                        long now = System.nanoTime();
                        overload.dispatcherLag(Math.max(0, now - tick.dueNanos()));
                        timers.startSingleTimer(new Tick(now + interval.toNanos()), interval);
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
