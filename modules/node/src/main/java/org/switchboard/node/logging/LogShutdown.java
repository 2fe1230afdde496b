package org.switchboard.node.logging;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;

/**
 * Writes out the log lines still queued ({@link LogQueue}) before the JVM exits: its writer is a daemon thread, so
 * without this the last lines of a stop (the node's goodbye, a start-up failure) would be lost with the process.
 */
public final class LogShutdown {
    private static final long POLL_MILLIS = 20;

    private LogShutdown() {
    }

    /**
     * On the JVM's exit, once {@code stopped} says so or a bound has passed. On SIGTERM to a running node
     * ({@code gracefulStopAhead} at the exit) its graceful stop runs in another hook at the same time and logs until
     * its actor system has terminated: up to {@code atMost}. Otherwise up to {@code briefly}: a node that stopped on
     * its own (downed, say) is ended by Akka once its shutdown is over or has timed out, and a system that has not
     * terminated by then may not terminate at all (a remote connection that cannot be flushed); a node still starting
     * has no graceful stop to wait for. Polled, not a callback: Akka's System.exit runs in a callback on the system's
     * termination, and callbacks queued behind it never run while the JVM waits for this hook.
     */
    public static void whenStopped(BooleanSupplier stopped, BooleanSupplier gracefulStopAhead, Duration atMost,
                                   Duration briefly) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long deadline = System.nanoTime() + (gracefulStopAhead.getAsBoolean() ? atMost : briefly).toNanos();
            try {
                while (!stopped.getAsBoolean() && System.nanoTime() < deadline) {
                    Thread.sleep(POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // write out what there is
            }
            flush();
        }, "log-shutdown"));
    }

    /** Writes out every queued line and stops logging ({@link LogQueue} waits up to 1 s for its writer). */
    private static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
