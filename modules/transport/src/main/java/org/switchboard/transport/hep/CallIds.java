package org.switchboard.transport.hep;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The Call-ID of a SIP message read straight off its bytes, without the parser: capture sees every message,
 * malformed ones too, before the edge parses them. The header's long or compact name ({@code Call-ID}, {@code i}),
 * any case (RFC 3261 §7.3.1, §20.8), in the header section only; the value up to the end of its line, trimmed.
 */
public final class CallIds {
    private static final byte[] LONG_NAME = "call-id".getBytes(StandardCharsets.US_ASCII);

    private CallIds() {
    }

    public static Optional<String> of(byte[] message) {
        int line = nextLine(message, 0); // the start line is no header
        while (line < message.length) {
            int end = lineEnd(message, line);
            if (end == line) {
                return Optional.empty(); // the empty line: the body starts, no Call-ID in the headers
            }
            int colon = indexOf(message, (byte) ':', line, end);
            if (colon > 0 && isCallId(message, line, trimEnd(message, line, colon))) {
                int from = colon + 1;
                while (from < end && (message[from] == ' ' || message[from] == '\t')) {
                    from++;
                }
                int to = trimEnd(message, from, end);
                return to > from ? Optional.of(new String(message, from, to - from, StandardCharsets.UTF_8))
                        : Optional.empty();
            }
            line = nextLine(message, end);
        }
        return Optional.empty();
    }

    private static boolean isCallId(byte[] b, int from, int to) {
        int length = to - from;
        if (length == 1) {
            return (b[from] | 0x20) == 'i';
        }
        if (length != LONG_NAME.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((b[from + i] | 0x20) != LONG_NAME[i]) { // '-' | 0x20 is '-' again
                return false;
            }
        }
        return true;
    }

    /** The index of the CR or LF that ends the line starting at {@code from}, or the message's end. */
    private static int lineEnd(byte[] b, int from) {
        int i = from;
        while (i < b.length && b[i] != '\r' && b[i] != '\n') {
            i++;
        }
        return i;
    }

    /** The start of the line after the one that ends at {@code end} (CRLF, or a bare LF or CR). */
    private static int nextLine(byte[] b, int end) {
        int i = lineEnd(b, end);
        if (i < b.length && b[i] == '\r') {
            i++;
        }
        if (i < b.length && b[i] == '\n') {
            i++;
        }
        return i;
    }

    private static int indexOf(byte[] b, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static int trimEnd(byte[] b, int from, int to) {
        int e = to;
        while (e > from && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        return e;
    }
}
