package org.switchboard.testkit;

import java.time.Duration;

import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.typed.ActorSystem;

/**
 * Time in an actor system started with {@link EntityTestKit#createInSimulatedTime}: its timers fire when the test
 * moves time on, and {@link #clock()} reads the same time, so an entity's timers and the instants it computes with
 * agree.
 *
 * <p>A timer the entity starts while handling a fired timer counts from the time when it handles it. Moving on by
 * more than the shortest interval between two such timers in one go would let the second fire early or late,
 * depending on the threads: move in steps no longer than that, and wait after each step until the entity has handled
 * what fired (a barrier such as {@code EventSourcedBehaviorTestKit.getState()}).
 */
public final class SimulatedTime {
    private final ManualTime manualTime;
    private final TestClock clock;

    private SimulatedTime(ManualTime manualTime, TestClock clock) {
        this.manualTime = manualTime;
        this.clock = clock;
    }

    /** The simulated time of {@code system}; it must run on {@code ManualTime.config()}. */
    public static SimulatedTime of(ActorSystem<?> system) {
        return new SimulatedTime(ManualTime.get(system), TestClock.following(system));
    }

    /** A clock that reads this simulated time, for the entity's settings. */
    public TestClock clock() {
        return clock;
    }

    /** Moves time on by {@code d}: every timer due by then fires, in the order of its due time. */
    public void advance(Duration d) {
        manualTime.timePasses(d);
    }
}
