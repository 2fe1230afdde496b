package org.switchboard.node.logging;

import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The node's log lines go through this queue to their appender (stdout), written by a thread of its own: a thread
 * that carries calls never waits on a write, so a stalled log reader (a full pipe, a paused terminal, a slow
 * collector) cannot stall SIP. A line that finds the queue full is dropped and counted
 * ({@code switchboard_log_lines_dropped_total}); every level is kept while there is room. Configured in
 * logback.xml and logback-json.xml; {@link LogShutdown} writes out what is queued before the JVM exits.
 */
public final class LogQueue extends AsyncAppender {
    private static final LongAdder DROPPED = new LongAdder();

    public LogQueue() {
        setQueueSize(8192);
        setDiscardingThreshold(0);
        setNeverBlock(true);
    }

    /** Lines dropped because the queue was full, since the JVM started (at least: a race can drop one uncounted). */
    public static long dropped() {
        return DROPPED.sum();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (getRemainingCapacity() == 0) {
            DROPPED.increment();
            return;
        }
        super.append(event);
    }
}
