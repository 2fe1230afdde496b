package org.switchboard.testkit;

import java.time.Duration;

import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;

/**
 * Time in an actor system started by {@link EntityTestKit#simulatedTime}: its timers fire when the test
 * moves time on, and {@link #clock()} reads the same time, so an entity's timers and the instants it computes with
 * agree.
 *
 * <p>Time moves at once, without ManualTime's pause ({@link SteppedScheduler}): move it only while the entity is
 * idle, having handled all it was sent (a barrier such as {@code EventSourcedBehaviorTestKit.getState()}, or
 * {@link #settle()} for an actor that answers none). A timer the entity starts while handling a fired timer counts
 * from the time when it handles it: moving on by more than the shortest interval between two such timers in one go
 * would let the second fire early or late, depending on the threads. Move in steps no longer than that, with the
 * barrier after each.
 */
public final class SimulatedTime {
    private final SteppedScheduler scheduler;
    private final ManualTime manualTime;
    private final TestClock clock;

    private SimulatedTime(SteppedScheduler scheduler) {
        this.scheduler = scheduler;
        this.manualTime = new ManualTime(scheduler);
        this.clock = TestClock.following(scheduler);
    }

    /** The simulated time of {@code system}, which runs on {@link EntityTestKit#simulatedTimeConfig()}. */
    public static SimulatedTime of(ActorSystem<?> system) {
        if (!(Adapter.toClassic(system).scheduler() instanceof SteppedScheduler scheduler)) {
            throw new IllegalArgumentException("the actor system " + system.name()
                    + " does not run on EntityTestKit.simulatedTimeConfig()");
        }
        return new SimulatedTime(scheduler);
    }

    /** A clock that reads this simulated time, for the entity's settings. */
    public TestClock clock() {
        return clock;
    }

    /** Moves time on by {@code d}: every timer due by then fires, in the order of its due time. */
    public void advance(Duration d) {
        manualTime.timePasses(d);
    }

    /**
     * Waits Akka's guess of how long the dispatchers take to clear (100 ms of real time), moving no time: before
     * checking that an actor which answers no barrier sent nothing. Never needed before waiting for a message.
     */
    public void settle() {
        scheduler.settle();
    }
}
