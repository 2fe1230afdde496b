package org.switchboard.node.logging;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;

/**
 * Standard output, buffered: lines are written to {@code System.out} when {@link LogQueue} flushes after a batch,
 * in one write, not one write (and system call) per line as logback's {@code ConsoleAppender} does. Only the
 * queue's writer thread appends to it.
 */
public final class StdoutAppender extends OutputStreamAppender<ILoggingEvent> {
    private static final int BUFFER = 64 * 1024;

    @Override
    public void start() {
        setImmediateFlush(false);
        setOutputStream(new BufferedOutputStream(new SystemOut(), BUFFER));
        super.start();
    }

    /** Writes out what is buffered. */
    void flush() {
        streamWriteLock.lock();
        try {
            getOutputStream().flush();
        } catch (IOException e) {
            addError("could not write the log to stdout", e);
        } finally {
            streamWriteLock.unlock();
        }
    }

    /** {@code System.out} as it is at each write (a test may have replaced it); closing it only flushes it. */
    private static final class SystemOut extends OutputStream {
        @Override
        public void write(int b) {
            System.out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            System.out.write(bytes, offset, length);
        }

        @Override
        public void flush() {
            System.out.flush();
        }

        @Override
        public void close() {
            System.out.flush();
        }
    }
}
