package org.switchboard.sip.framing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cuts a byte stream (TCP, TLS) into whole SIP messages by Content-Length (RFC 3261 §18.3). Keep-alive CRLFs
 * between messages are reported separately so a double-CRLF ping can be answered (RFC 5626 §3.5.1), also when
 * its CRLFs arrive in different reads. Bounded by the limits, and linear: a peer dripping one byte per read
 * costs the same per byte as one sending whole messages. One framer per connection; not thread-safe (a
 * connection's events arrive on one thread).
 */
public final class StreamFramer {
    /** What the framer found in the bytes fed so far. */
    public sealed interface Frame {
    }

    public record Message(byte[] bytes) implements Frame {
    }

    /** A CRLFCRLF keep-alive ping between messages. */
    public record Ping() implements Frame {
    }

    /** The stream cannot be framed any further (limit exceeded, bad Content-Length); close the connection. */
    public record Failure(String reason) implements Frame {
    }

    private static final byte[] EMPTY = new byte[0];
    /** A buffer that grew for one large message is given back once it is empty again. */
    private static final int KEEP_BYTES = 16 * 1024;

    private final FramingLimits limits;
    /** Bytes received and not yet framed: buf[start, end). Only they are ever copied, each a few times at most. */
    private byte[] buf = EMPTY;
    private int start;
    private int end;
    // where framing stands, relative to the first byte of the pending message, so nothing is scanned twice
    private boolean inMessage;
    private int scanned;
    private int headerLength = -1;
    private int bodyLength;
    private int crlfRun;
    private boolean failed;

    public StreamFramer(FramingLimits limits) {
        this.limits = limits;
    }

    /** Bytes held for a message not complete yet: a connection that keeps some pending too long is a slow drip. */
    public int pending() {
        return end - start;
    }

    public List<Frame> feed(byte[] data, int offset, int length) {
        List<Frame> out = new ArrayList<>(1);
        if (failed) {
            return out;
        }
        if (start == end) {
            // nothing pending (the usual case): frame straight from the caller's bytes, keep only the rest
            int pos = frame(data, offset, offset + length, out);
            if (!failed) {
                keep(data, pos, offset + length);
            }
            return out;
        }
        append(data, offset, length);
        int pos = frame(buf, start, end, out);
        if (!failed) {
            start = pos;
            if (start == end) {
                release();
            }
        }
        return out;
    }

    /**
     * Frames what a[from, to) holds after the pending state; returns where the unframed rest begins. Every byte is
     * looked at a bounded number of times however the stream is split.
     */
    private int frame(byte[] a, int from, int to, List<Frame> out) {
        int pos = from;
        while (pos < to) {
            if (!inMessage) {
                while (pos + 1 < to && a[pos] == '\r' && a[pos + 1] == '\n') {
                    pos += 2;
                    if (++crlfRun == 2) { // every CRLFCRLF is a ping, however the reads split it
                        crlfRun = 0;
                        out.add(new Ping());
                    }
                }
                if (pos >= to || (pos + 1 == to && a[pos] == '\r')) {
                    break; // a lone CR may be half of a keep-alive CRLF
                }
                inMessage = true;
                crlfRun = 0;
                scanned = 0;
            }
            if (headerLength < 0) {
                int headerEnd = indexOfBlankLine(a, pos + scanned, to);
                if (headerEnd < 0) {
                    if (to - pos > limits.maxHeaderBytes()) {
                        fail(out, "header block longer than " + limits.maxHeaderBytes() + " bytes");
                        return to;
                    }
                    scanned = Math.max(0, to - 2 - pos); // a LF in the last two bytes is not decided yet
                    break;
                }
                if (headerEnd - pos > limits.maxHeaderBytes()) {
                    fail(out, "header block longer than " + limits.maxHeaderBytes() + " bytes");
                    return to;
                }
                int contentLength;
                try {
                    contentLength = contentLength(a, pos, headerEnd);
                } catch (NumberFormatException e) {
                    fail(out, "Content-Length is not a number");
                    return to;
                }
                if (contentLength == CONFLICTING) {
                    // RFC 4475 §3.3.9: over a stream "the framing error is not recoverable": where does the next
                    // message start? The connection is closed rather than guessed at.
                    fail(out, "two Content-Length values that differ");
                    return to;
                }
                if (contentLength > limits.maxBodyBytes()) {
                    fail(out, "body longer than " + limits.maxBodyBytes() + " bytes");
                    return to;
                }
                headerLength = headerEnd - pos;
                bodyLength = contentLength;
            }
            int messageEnd = pos + headerLength + bodyLength;
            if (messageEnd > to) {
                break;
            }
            out.add(new Message(Arrays.copyOfRange(a, pos, messageEnd)));
            pos = messageEnd;
            inMessage = false;
            headerLength = -1;
        }
        return pos;
    }

    /** After framing the caller's bytes directly: the unframed rest becomes the pending buffer. */
    private void keep(byte[] data, int from, int to) {
        int rest = to - from;
        if (rest == 0) {
            release();
            return;
        }
        if (buf.length < rest) {
            buf = new byte[Math.max(rest, 512)];
        }
        System.arraycopy(data, from, buf, 0, rest);
        start = 0;
        end = rest;
    }

    /**
     * Appends behind the pending bytes. They move only when the free space is at least half the buffer afterwards,
     * else the buffer doubles: each byte is copied a constant number of times on average, even on a slow drip.
     */
    private void append(byte[] data, int offset, int length) {
        if (buf.length - end < length) {
            int pending = end - start;
            int need = pending + length;
            if (need <= buf.length / 2) {
                System.arraycopy(buf, start, buf, 0, pending);
            } else {
                byte[] bigger = new byte[Math.max(need, buf.length * 2)];
                System.arraycopy(buf, start, bigger, 0, pending);
                buf = bigger;
            }
            start = 0;
            end = pending;
        }
        System.arraycopy(data, offset, buf, end, length);
        end += length;
    }

    private void release() {
        start = 0;
        end = 0;
        if (buf.length > KEEP_BYTES) {
            buf = EMPTY;
        }
    }

    private void fail(List<Frame> out, String reason) {
        failed = true;
        buf = EMPTY;
        start = 0;
        end = 0;
        out.add(new Failure(reason));
    }

    /** Offset just past the CRLFCRLF (or LFLF) ending the header block in b[from, to), or -1. */
    private static int indexOfBlankLine(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                if (i + 1 < to && b[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < to && b[i + 1] == '\r' && b[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    private static final int CONFLICTING = -2;

    /**
     * The Content-Length of a header block; 0 when absent, as most stacks take it; {@link #CONFLICTING} when two
     * Content-Length lines say different things (the same value twice frames the same way and is let through).
     */
    private static int contentLength(byte[] b, int from, int to) {
        String head = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        int found = -1;
        for (String line : head.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (name.equals("content-length") || name.equals("l")) {
                String v = line.substring(colon + 1).trim();
                // digits only: parseInt takes "-9" and "+9", and a negative length moved the cut backwards
                // (an empty message framed forever, or NegativeArraySizeException) -- found by StreamFramerFuzzTest
                if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new NumberFormatException(v);
                }
                int value = Integer.parseInt(v);
                if (found >= 0 && found != value) {
                    return CONFLICTING;
                }
                found = value;
            }
        }
        return Math.max(found, 0);
    }
}
