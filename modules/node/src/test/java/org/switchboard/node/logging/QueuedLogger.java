package org.switchboard.node.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;

/** A logback context of a test's own whose call logger writes through a {@link LogQueue} to the given output. */
final class QueuedLogger {
    private QueuedLogger() {
    }

    /** A started context, as the SLF4J binding gives the node (with an MDC adapter). */
    static LoggerContext context() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
        return context;
    }

    /** {@link #through} to the node's {@link StdoutAppender}, each line its message alone. */
    static Logger toStdout(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        StdoutAppender stdout = new StdoutAppender();
        stdout.setEncoder(encoder);
        return through(context, stdout);
    }

    /** {@code org.switchboard.calls} at INFO, through a started queue to {@code output} (started here too). */
    static Logger through(LoggerContext context, Appender<ILoggingEvent> output) {
        output.setContext(context);
        output.start();
        LogQueue queue = new LogQueue();
        queue.setContext(context);
        queue.addAppender(output);
        queue.start();
        Logger log = context.getLogger("org.switchboard.calls");
        log.setLevel(Level.INFO);
        log.addAppender(queue);
        return log;
    }
}
