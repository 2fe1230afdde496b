package org.switchboard.node;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;

/**
 * Whether a node's stop is over: its actor system has terminated, or its termination has outlasted Akka's own
 * timeout for it ({@code actor-system-terminate}). After that Akka gives up waiting (its shutdown hook returns and
 * the JVM exits), and so must whoever waits for the stop — the log's exit hook — rather than hold the exit for
 * its own bound: the termination can hang for good, for instance on flushing remoting to a peer that is gone.
 */
final class TerminationWatch {
    private static final long NOT_YET = Long.MIN_VALUE;
    private static final Duration MARGIN = Duration.ofSeconds(1);

    private final BooleanSupplier terminated;
    private final long givenUpAfterNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong terminatingSince = new AtomicLong(NOT_YET);

    TerminationWatch(BooleanSupplier terminated, Duration terminateTimeout, LongSupplier nanoClock) {
        this.terminated = terminated;
        this.givenUpAfterNanos = terminateTimeout.plus(MARGIN).toNanos();
        this.nanoClock = nanoClock;
    }

    /** Watches {@code system} from now on: the last phase before its termination notes when it ran. */
    static TerminationWatch of(ActorSystem<?> system) {
        Duration timeout = system.settings().config().getDuration("akka.coordinated-shutdown.phases.actor-system-terminate.timeout");
        // read from the system's own state: callbacks on its termination may never run once Akka's exit waits
        TerminationWatch watch = new TerminationWatch(() -> system.whenTerminated().isCompleted(), timeout, System::nanoTime);
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "note-termination",
                () -> {
                    watch.terminating();
                    return CompletableFuture.completedFuture(Done.getInstance());
                });
        return watch;
    }

    /** The system's termination starts now. */
    void terminating() {
        terminatingSince.compareAndSet(NOT_YET, nanoClock.getAsLong());
    }

    boolean over() {
        if (terminated.getAsBoolean()) {
            return true;
        }
        long since = terminatingSince.get();
        return since != NOT_YET && nanoClock.getAsLong() - since > givenUpAfterNanos;
    }
}
