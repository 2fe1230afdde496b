package org.switchboard.node.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;

/** The queue's lines reach stdout complete and in order, soon, and in a few writes rather than one per line. */
class StdoutAppenderTest {
    /** Stands for the process's stdout: what was written, and in how many writes. */
    private static final class CountingOut extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicInteger writes = new AtomicInteger();

        @Override
        public synchronized void write(int b) {
            writes.incrementAndGet();
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes.incrementAndGet();
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void linesAreWrittenInOrderWithinTheQueuesDelayInBatchesNotOneWritePerLine() throws Exception {
        PrintStream original = System.out;
        CountingOut out = new CountingOut();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8)); // autoflush, as the JVM's own stdout
        LoggerContext context = QueuedLogger.context();
        try {
            Logger log = QueuedLogger.toStdout(context);

            int lines = 2000;
            for (int i = 0; i < lines; i++) {
                log.info("call answered {}", i);
            }
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                expected.append("call answered ").append(i).append('\n');
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (out.text().length() < expected.length() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(expected.toString(), out.text(), "every line, in order, without a stop to flush them");
            assertTrue(out.writes.get() <= lines / 10, "writes to stdout for " + lines + " lines: " + out.writes.get());

            log.info("the last line");
            context.stop(); // what LogShutdown does at exit
            assertTrue(out.text().endsWith("the last line\n"), "a line logged just before the stop is written");
        } finally {
            context.stop();
            System.setOut(original);
        }
    }
}
