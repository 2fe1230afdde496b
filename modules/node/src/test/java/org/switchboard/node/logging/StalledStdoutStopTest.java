package org.switchboard.node.logging;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;

/** The log's stop at the JVM's exit does not wait for ever on a stdout that nobody reads. */
class StalledStdoutStopTest {
    @Test
    void stoppingTheLogWhileStdoutTakesNothingReturnsAfterTheQueuesWait() {
        PrintStream original = System.out;
        CountDownLatch release = new CountDownLatch(1);
        OutputStream stalled = new OutputStream() { // a full pipe: every write blocks until released
            @Override
            public void write(int b) {
                await();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                await();
            }

            private void await() {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        System.setOut(new PrintStream(stalled, true, StandardCharsets.UTF_8));
        LoggerContext context = QueuedLogger.context();
        try {
            Logger log = QueuedLogger.toStdout(context);
            for (int i = 0; i < 100; i++) {
                log.info("call answered {}", i);
            }
            // what LogShutdown does at exit; the queue waits 1 s for its writer, stuck in its first write
            assertTimeoutPreemptively(Duration.ofSeconds(10), context::stop, "the log's stop waited on stdout");
        } finally {
            System.setOut(original);
            release.countDown();
        }
    }
}
