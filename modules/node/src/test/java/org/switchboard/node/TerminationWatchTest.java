package org.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;

/** When the log's exit hook may stop waiting for a node's stop. */
class TerminationWatchTest {
    @Test
    void aTerminationThatHangsIsOverOnceAkkasOwnTimeoutForItHasPassed() {
        AtomicBoolean terminated = new AtomicBoolean(false);
        AtomicLong now = new AtomicLong(1_000);
        TerminationWatch watch = new TerminationWatch(terminated::get, Duration.ofSeconds(10), now::get);
        assertFalse(watch.over(), "running");
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        assertFalse(watch.over(), "still running: no termination started, however long it runs");

        watch.terminating();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertFalse(watch.over(), "terminating, within Akka's timeout for it");
        now.addAndGet(Duration.ofMillis(1_001).toNanos());
        assertTrue(watch.over(), "Akka's timeout and a second passed: Akka no longer waits, nor does the log");
    }

    @Test
    void aTerminatedSystemsStopIsOverAtOnce() {
        AtomicBoolean terminated = new AtomicBoolean(false);
        TerminationWatch watch = new TerminationWatch(terminated::get, Duration.ofSeconds(10), () -> 0L);
        terminated.set(true);
        assertTrue(watch.over());
    }

    @Test
    void aRealSystemsStopIsOverWhenItHasTerminated() throws Exception {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "termination-watch",
                ConfigFactory.parseString("akka.coordinated-shutdown.exit-jvm = off").withFallback(ConfigFactory.load()));
        TerminationWatch watch = TerminationWatch.of(system);
        assertFalse(watch.over());
        CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
        system.getWhenTerminated().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(watch.over());
    }
}
