package org.switchboard.sip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Parses one whole SIP message (a datagram, or one message cut out of a stream by the framer).
 * Indexes the start line and header lines; checks the headers every request and response must have.
 * Follows RFC 3261 §18.3 for the body: shorter than Content-Length is an error, longer is cut.
 *
 * <p>The index is one int per header line (where its value ends, and a small id for the names we know), built
 * in a per-thread scratch array and copied out at its exact size: no String, list or object per header, so the
 * only allocations of a typical message are the message, its index and the result (see bench/RESULTS.md).
 */
public final class SipParser {
    private static final int MAX_HEADERS = 256;
    /** Header offsets share an int with the name id (8 bits): the header block must end within 16 MiB. */
    private static final int MAX_HEADER_OFFSET = (1 << 24) - 1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[MAX_HEADERS]);

    private SipParser() {
    }

    public static ParseResult parse(byte[] data) {
        return parse(data, 0, data.length);
    }

    public static ParseResult parse(byte[] data, int offset, int length) {
        try {
            return new ParseResult.Parsed(parseOrThrow(data, offset, length));
        } catch (SipParseException e) {
            return new ParseResult.Malformed(e.error());
        }
    }

    private static SipMessage parseOrThrow(byte[] data, int offset, int length) {
        int end = offset + length;
        int p = offset;
        while (p + 1 < end && data[p] == '\r' && data[p + 1] == '\n') {
            p += 2; // RFC 3261 §7.5: ignore CRLFs before the start line
        }
        int lineEnd = indexOfLf(data, p, end);
        if (lineEnd < 0) {
            throw new SipParseException(p - offset, "start line ended by CRLF");
        }
        int startLineEnd = lineEnd > p && data[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        int headersStart = lineEnd + 1;

        // offsets in the index are already relative to `offset`, where the message's own bytes will start
        int[] index = SCRATCH.get();
        int count = 0;
        int lengthLine = -1;
        int lengthColon = -1;
        int q = headersStart;
        int bodyStart;
        long seen = 0; // a bit per singleton header id met so far
        boolean repeated = false;
        while (true) {
            if (q >= end) {
                throw new SipParseException(end - offset, "empty line ending the header block");
            }
            int nl = indexOfLf(data, q, end);
            if (nl < 0) {
                throw new SipParseException(q - offset, "CRLF ending the header line");
            }
            int le = nl > q && data[nl - 1] == '\r' ? nl - 1 : nl;
            if (le == q) {
                bodyStart = nl + 1;
                break;
            }
            if (le - offset > MAX_HEADER_OFFSET) {
                throw new SipParseException(q - offset, "header block within 16 MiB");
            }
            byte first = data[q];
            if (first == ' ' || first == '\t') {
                if (count == 0) {
                    throw new SipParseException(q - offset, "header name");
                }
                index[count - 1] = (index[count - 1] & ~MAX_HEADER_OFFSET) | (le - offset); // folded: value goes on
                q = nl + 1;
                continue;
            }
            int id = HeaderIds.knownAt(data, q, le);
            int n = q + (id == HeaderIds.OTHER ? 0 : HeaderIds.length(id));
            if (id == HeaderIds.OTHER) {
                int hash = 0;
                while (n < le && Lexer.is(Lexer.TOKEN_BYTE, data[n])) {
                    hash = HeaderIds.hashStep(hash, data[n]);
                    n++;
                }
                if (n == q) {
                    throw new SipParseException(q - offset, "header name");
                }
                id = HeaderIds.ofWire(data, q, n, hash); // a compact form, or a name knownAt does not try
            }
            int c = n;
            while (c < le && (data[c] == ' ' || data[c] == '\t')) {
                c++;
            }
            if (c >= le || data[c] != ':') {
                throw new SipParseException(c - offset, "':' after header name");
            }
            if (count == MAX_HEADERS) {
                throw new SipParseException(q - offset, "at most " + MAX_HEADERS + " header lines");
            }
            long bit = 1L << id; // only read for ids below 64: no singleton has a larger one
            if (id < Long.SIZE && (HeaderIds.SINGLETONS & bit) != 0) {
                repeated |= (seen & bit) != 0;
                seen |= bit;
            }
            if (id == HeaderIds.CONTENT_LENGTH && lengthLine < 0) {
                lengthLine = count;
                lengthColon = c;
            }
            index[count++] = id << 24 | (le - offset);
            q = nl + 1;
        }
        // read after the loop: a folded Content-Length line is only known whole at its end
        int contentLength = lengthLine < 0 ? -1
                : contentLength(data, lengthColon + 1, offset + (index[lengthLine] & MAX_HEADER_OFFSET), offset);
        int available = end - bodyStart;
        int bodyLength = contentLength < 0 ? available : contentLength;
        if (repeated) {
            // before the body check: two Content-Length values that differ are that error, not a short body
            MandatoryHeaders.singletons(message(data, offset, p, startLineEnd, headersStart, bodyStart,
                    Math.min(bodyLength, available), Arrays.copyOf(index, count)));
        }
        if (bodyLength > available) {
            throw new SipParseException(end - offset, "body of " + contentLength + " bytes as Content-Length says");
        }
        SipMessage message = message(data, offset, p, startLineEnd, headersStart, bodyStart, bodyLength,
                Arrays.copyOf(index, count));
        MandatoryHeaders.check(message);
        return message;
    }

    private static SipMessage message(byte[] data, int offset, int p, int startLineEnd, int headersStart,
                                      int bodyStart, int bodyLength, int[] headers) {
        int messageEnd = bodyStart + bodyLength;
        byte[] bytes = offset == 0 && messageEnd == data.length ? data : Arrays.copyOfRange(data, offset, messageEnd);
        return StartLine.isStatusLine(bytes, p - offset, startLineEnd - offset)
                ? StartLine.response(bytes, p - offset, startLineEnd - offset, headers, headersStart - offset,
                        bodyStart - offset, bodyLength)
                : StartLine.request(bytes, p - offset, startLineEnd - offset, headers, headersStart - offset,
                        bodyStart - offset, bodyLength);
    }

    /** Content-Length digits between the colon and the line end, white space around them ignored. */
    private static int contentLength(byte[] data, int from, int to, int offset) {
        int valueStart = from; // where errors point: past the colon's white space
        while (valueStart < to && (data[valueStart] == ' ' || data[valueStart] == '\t')) {
            valueStart++;
        }
        int s = valueStart;
        while (s < to && (data[s] & 0xFF) <= ' ') {
            s++;
        }
        int e = to;
        while (e > s && (data[e - 1] & 0xFF) <= ' ') {
            e--;
        }
        if (e == s) {
            throw new SipParseException(valueStart - offset, "Content-Length digits");
        }
        long n = 0;
        for (int i = s; i < e; i++) {
            if (data[i] < '0' || data[i] > '9') {
                throw new SipParseException(valueStart - offset, "Content-Length digits");
            }
            n = Math.min(Integer.MAX_VALUE, n * 10 + (data[i] - '0'));
        }
        return (int) n;
    }

    /**
     * The first LF in {@code data[from, to)}, or -1. Eight bytes per step (SWAR: a byte equal to LF becomes zero,
     * and the lowest zero byte of a word is found exactly); finding line ends is most of a parse's work.
     */
    static int indexOfLf(byte[] data, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONGS.get(data, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long zero = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
