package org.switchboard.node.logging;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;

/**
 * The node's log lines go through this queue to their appender (stdout), written by a thread of its own: a thread
 * that carries calls never waits on a write, so a stalled log reader (a full pipe, a paused terminal, a slow
 * collector) cannot stall SIP. A line that finds the queue full is dropped and counted
 * ({@code switchboard_log_lines_dropped_total}); every level is kept while there is room. Configured in
 * logback.xml and logback-json.xml; {@link LogShutdown} writes out what is queued before the JVM exits.
 *
 * <p>The writer looks at the queue every {@value #IDLE_MILLIS} ms when it is empty instead of waiting on it, and
 * writes what it finds as one batch followed by one flush ({@link StdoutAppender}): logback's own {@code
 * AsyncAppender} woke its writer with a system call for every line and wrote every line with one: at two lines per
 * call, 40 µs of the node's CPU per call at 1,500 calls/s, 16 µs this way (async-profiler, bench/RESULTS.md). A
 * line reaches stdout at most {@value #IDLE_MILLIS} ms after it was logged.
 */
public final class LogQueue extends UnsynchronizedAppenderBase<ILoggingEvent> implements AppenderAttachable<ILoggingEvent> {
    static final int CAPACITY = 8192;
    static final int BATCH = 1024;
    static final long IDLE_MILLIS = 10;
    private static final long STOP_WAIT_MILLIS = 1000;
    private static final LongAdder DROPPED = new LongAdder();

    private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
    private final BlockingQueue<ILoggingEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread writer = new Thread(this::writeUntilStopped, "log-writer");

    /** Lines dropped because the queue was full, since the JVM started. */
    public static long dropped() {
        return DROPPED.sum();
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        super.start();
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing(); // the message and the MDC as they are now, on the logging thread
        if (!queue.offer(event)) {
            DROPPED.increment();
        }
    }

    /** Stops taking lines, lets the writer write out what is queued (waiting at most a second), then its appenders. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        LockSupport.unpark(writer);
        try {
            writer.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            // the output does not take what is written (stdout nobody reads): stopping the appenders would wait on
            // the writer's stuck write (their stop takes the stream's lock and flushes), and so would the JVM's exit
            addWarn(queue.size() + " log lines not written: the output did not take them within " + STOP_WAIT_MILLIS + " ms");
            return;
        }
        appenders.detachAndStopAllAppenders();
    }

    private void writeUntilStopped() {
        List<ILoggingEvent> batch = new ArrayList<>(BATCH);
        while (isStarted()) {
            if (writeBatch(batch) == 0) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS));
            }
        }
        while (writeBatch(batch) > 0) {
            // what was queued before the stop
        }
    }

    private int writeBatch(List<ILoggingEvent> batch) {
        batch.clear();
        int n = queue.drainTo(batch, BATCH);
        if (n == 0) {
            return 0;
        }
        for (ILoggingEvent event : batch) {
            appenders.appendLoopOnAppenders(event);
        }
        for (Iterator<Appender<ILoggingEvent>> it = appenders.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof StdoutAppender out) {
                out.flush();
            }
        }
        return n;
    }

    @Override
    public void addAppender(Appender<ILoggingEvent> appender) {
        appenders.addAppender(appender);
    }

    @Override
    public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
        return appenders.iteratorForAppenders();
    }

    @Override
    public Appender<ILoggingEvent> getAppender(String name) {
        return appenders.getAppender(name);
    }

    @Override
    public boolean isAttached(Appender<ILoggingEvent> appender) {
        return appenders.isAttached(appender);
    }

    @Override
    public void detachAndStopAllAppenders() {
        appenders.detachAndStopAllAppenders();
    }

    @Override
    public boolean detachAppender(Appender<ILoggingEvent> appender) {
        return appenders.detachAppender(appender);
    }

    @Override
    public boolean detachAppender(String name) {
        return appenders.detachAppender(name);
    }
}
