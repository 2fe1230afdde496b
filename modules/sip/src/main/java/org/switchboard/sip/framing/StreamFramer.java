package org.switchboard.sip.framing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts a byte stream (TCP, TLS) into whole SIP messages by Content-Length (RFC 3261 §18.3). Keep-alive CRLFs
 * between messages are reported separately so a double-CRLF ping can be answered (RFC 5626 §3.5.1). One framer
 * per connection; not thread-safe (a connection's events arrive on one thread).
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

    private final FramingLimits limits;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private boolean failed;

    public StreamFramer(FramingLimits limits) {
        this.limits = limits;
    }

    public List<Frame> feed(byte[] data, int offset, int length) {
        List<Frame> out = new ArrayList<>(1);
        if (failed) {
            return out;
        }
        buffer.write(data, offset, length);
        byte[] buf = buffer.toByteArray();
        int pos = 0;
        while (pos < buf.length) {
            int crlfs = 0;
            while (pos + 1 < buf.length && buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                crlfs++;
            }
            if (crlfs >= 2) {
                out.add(new Ping());
            }
            if (pos >= buf.length) {
                break;
            }
            int headerEnd = indexOfBlankLine(buf, pos);
            if (headerEnd < 0) {
                if (buf.length - pos > limits.maxHeaderBytes()) {
                    return fail(out, "header block longer than " + limits.maxHeaderBytes() + " bytes");
                }
                break;
            }
            if (headerEnd - pos > limits.maxHeaderBytes()) {
                return fail(out, "header block longer than " + limits.maxHeaderBytes() + " bytes");
            }
            int contentLength;
            try {
                contentLength = contentLength(buf, pos, headerEnd);
            } catch (NumberFormatException e) {
                return fail(out, "Content-Length is not a number");
            }
            if (contentLength > limits.maxBodyBytes()) {
                return fail(out, "body longer than " + limits.maxBodyBytes() + " bytes");
            }
            int messageEnd = headerEnd + contentLength;
            if (messageEnd > buf.length) {
                break;
            }
            byte[] message = new byte[messageEnd - pos];
            System.arraycopy(buf, pos, message, 0, message.length);
            out.add(new Message(message));
            pos = messageEnd;
        }
        buffer.reset();
        buffer.write(buf, pos, buf.length - pos);
        return out;
    }

    private List<Frame> fail(List<Frame> out, String reason) {
        failed = true;
        buffer.reset();
        out.add(new Failure(reason));
        return out;
    }

    /** Offset just past the CRLFCRLF (or LFLF) ending the header block, or -1. */
    private static int indexOfBlankLine(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                if (i + 1 < b.length && b[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < b.length && b[i + 1] == '\r' && b[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** The Content-Length of a header block; 0 when absent, as most stacks take it. */
    private static int contentLength(byte[] b, int from, int to) {
        String head = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
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
                return Integer.parseInt(v);
            }
        }
        return 0;
    }
}
