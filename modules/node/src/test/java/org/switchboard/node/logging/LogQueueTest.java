package org.switchboard.node.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/** The log's queue in front of a writer that is stuck: loggers never wait, what does not fit is dropped and counted. */
class LogQueueTest {
    private static final int QUEUE = LogQueue.CAPACITY;

    /** Stands for stdout with nobody reading: the first write blocks until released. */
    private static final class StuckWriter extends AppenderBase<ILoggingEvent> {
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> written = Collections.synchronizedList(new ArrayList<>());

        @Override
        protected void append(ILoggingEvent event) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.add(event.getFormattedMessage());
        }
    }

    @Test
    void aStuckWriterNeverHoldsTheLoggerAndWhatDoesNotFitIsCounted() throws Exception {
        LoggerContext context = QueuedLogger.context();
        StuckWriter writer = new StuckWriter();
        Logger log = QueuedLogger.through(context, writer);

        long droppedBefore = LogQueue.dropped();
        // the writer's thread takes a batch (at most LogQueue.BATCH lines) before it gets stuck on the first of it
        int lines = 2 * QUEUE + 1000;
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < lines; i++) {
                log.info("call answered {}", i);
            }
        }, "a logger waited for the stuck writer");
        long dropped = LogQueue.dropped() - droppedBefore;
        assertTrue(dropped >= 1000 + QUEUE - LogQueue.BATCH && dropped <= 1000 + QUEUE, "lines that did not fit: " + dropped);

        writer.release.countDown();
        context.stop(); // what LogShutdown does at exit: what is queued is written out
        assertEquals(lines, writer.written.size() + dropped, "every line written or counted as dropped");
        assertEquals("call answered 0", writer.written.get(0));
    }
}
