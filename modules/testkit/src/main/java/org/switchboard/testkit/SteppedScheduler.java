package org.switchboard.testkit;

import java.util.concurrent.ThreadFactory;

import com.typesafe.config.Config;

import akka.dispatch.ExecutionContexts;
import akka.event.LoggingAdapter;
import akka.testkit.ExplicitlyTriggeredScheduler;

import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.Duration;
import scala.concurrent.duration.FiniteDuration;

/**
 * ManualTime's scheduler without its pause. Akka's {@code timePasses} first sleeps 100 ms of real time "to give
 * dispatchers time to clear", a guess that is both slow (a test stepping through 64*T1 in steps of T1 waited
 * 6.4 s per call) and not a guarantee. Tests here wait on a real barrier instead (an entity's {@code getState()}), so
 * time moves at once; {@link #settle()} keeps Akka's pause for actors that answer no barrier.
 *
 * <p>Installed by {@link EntityTestKit#simulatedTime}; {@code ManualTime.get(system)} works on it. It calls
 * {@code executeTasks}, package-private to Akka's testkit in Scala but public in the bytecode: Akka stays at 2.8.5
 * (docs/architecture.md, "Dependencies that are pinned"), and {@code SimulatedTimeTest} checks the behaviour relied on.
 */
public final class SteppedScheduler extends ExplicitlyTriggeredScheduler {
    private static final Runnable NOTHING = () -> { };
    /** This scheduler runs its tasks itself, on the thread that moves time: the executor goes unused. */
    private static final ExecutionContext INLINE = ExecutionContexts.fromExecutor(Runnable::run);

    /** The constructor Akka calls for {@code akka.scheduler.implementation}. */
    public SteppedScheduler(Config config, LoggingAdapter log, ThreadFactory threadFactory) {
        super(config, log, threadFactory);
    }

    /**
     * Runs every task due within {@code amount}, in the order of their due times, each at its own time, and leaves
     * the time at the end of {@code amount} (a task that does nothing is due there, so the last one run is at it).
     */
    @Override
    public void timePasses(FiniteDuration amount) {
        long end = currentTimeMs() + amount.toMillis();
        scheduleOnce(amount, NOTHING, INLINE);
        executeTasks(end);
    }

    /** Akka's own pause for the dispatchers to clear, moving no time: for actors that answer no barrier. */
    public void settle() {
        super.timePasses(Duration.Zero());
    }
}
