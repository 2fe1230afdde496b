package org.switchboard.node.logging;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;

/**
 * Writes out the log lines still queued ({@link LogQueue}) before the JVM exits: its writer is a daemon thread, so
 * without this the last lines of a stop (the node's goodbye, a start-up failure) would be lost with the process.
 */
public final class LogShutdown {
    private LogShutdown() {
    }

    /**
     * On the JVM's exit (SIGTERM, System.exit), once {@code stopped} completes or {@code atMost} has passed: the
     * node's own shutdown runs in another hook at the same time and logs until its actor system has terminated.
     */
    public static void whenStopped(CompletionStage<?> stopped, Duration atMost) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stopped.toCompletableFuture().get(atMost.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // not stopped in time, or failed: write out what there is
            }
            flush();
        }, "log-shutdown"));
    }

    /** Writes out every queued line and stops logging (logback waits up to 1 s for its writer). */
    public static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
