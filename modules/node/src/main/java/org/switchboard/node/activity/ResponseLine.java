package org.switchboard.node.activity;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the activity figures and the metrics need from an outgoing message, read straight from its bytes without
 * parsing it: the status code of a response, its CSeq method, and its Call-ID. The send path calls this for every
 * message, so a request costs only the first bytes of its start line, and nothing here allocates but the Call-ID.
 */
public final class ResponseLine {
    private static final byte[] VERSION = "SIP/2.0 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CSEQ = "cseq".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CALL_ID = "call-id".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CALL_ID_COMPACT = "i".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INVITE = "INVITE".getBytes(StandardCharsets.US_ASCII);

    private ResponseLine() {
    }

    /** The status code of a response; 0 for a request or anything that is not a status line. */
    public static int status(byte[] m) {
        if (m.length < VERSION.length + 3) {
            return 0;
        }
        for (int i = 0; i < VERSION.length; i++) {
            if (m[i] != VERSION[i]) {
                return 0;
            }
        }
        int code = 0;
        for (int i = VERSION.length; i < VERSION.length + 3; i++) {
            int d = m[i] - '0';
            if (d < 0 || d > 9) {
                return 0;
            }
            code = code * 10 + d;
        }
        return code;
    }

    /** True when the CSeq header's method is INVITE. */
    static boolean isInvite(byte[] m) {
        int v = value(m, CSEQ, CSEQ);
        if (v < 0) {
            return false;
        }
        while (v < m.length && m[v] >= '0' && m[v] <= '9') {
            v++; // the sequence number
        }
        v = skipSpace(m, v);
        int end = v + INVITE.length;
        if (end > m.length) {
            return false;
        }
        for (int i = 0; i < INVITE.length; i++) {
            if (m[v + i] != INVITE[i]) {
                return false;
            }
        }
        return end == m.length || m[end] == '\r' || m[end] == '\n' || m[end] == ' ' || m[end] == '\t';
    }

    /**
     * Which of {@code methods} (as bytes, e.g. {@code "INVITE"}) the CSeq header names: its index, or
     * {@code methods.length} for any other method and for a message without a CSeq (the caller's "other" slot).
     */
    public static int cseqMethod(byte[] m, byte[][] methods) {
        int v = value(m, CSEQ, CSEQ);
        if (v < 0) {
            return methods.length;
        }
        while (v < m.length && m[v] >= '0' && m[v] <= '9') {
            v++; // the sequence number
        }
        v = skipSpace(m, v);
        int end = v;
        while (end < m.length && m[end] != '\r' && m[end] != '\n' && m[end] != ' ' && m[end] != '\t') {
            end++;
        }
        for (int i = 0; i < methods.length; i++) {
            if (regionIs(m, v, end, methods[i])) {
                return i;
            }
        }
        return methods.length;
    }

    private static boolean regionIs(byte[] m, int from, int to, byte[] word) {
        if (to - from != word.length) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (m[from + i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    /** The Call-ID (or its compact form {@code i}), when the message has one. */
    public static Optional<String> callId(byte[] m) {
        int v = value(m, CALL_ID, CALL_ID_COMPACT);
        if (v < 0) {
            return Optional.empty();
        }
        int end = v;
        while (end < m.length && m[end] != '\r' && m[end] != '\n') {
            end++;
        }
        while (end > v && (m[end - 1] == ' ' || m[end - 1] == '\t')) {
            end--;
        }
        return end > v ? Optional.of(new String(m, v, end - v, StandardCharsets.US_ASCII)) : Optional.empty();
    }

    /**
     * Where the value of the first header named {@code name} or {@code compact} (any case) starts, after the colon
     * and blanks; -1 when no header line before the blank line has that name.
     */
    private static int value(byte[] m, byte[] name, byte[] compact) {
        int line = nextLine(m, 0);
        while (line >= 0 && line < m.length && m[line] != '\r' && m[line] != '\n') {
            if (m[line] != ' ' && m[line] != '\t') { // not a folded continuation
                int v = nameEnd(m, line, name);
                if (v < 0) {
                    v = nameEnd(m, line, compact);
                }
                if (v >= 0) {
                    return v;
                }
            }
            line = nextLine(m, line);
        }
        return -1;
    }

    /** If the line at {@code at} starts with header {@code name} then a colon, where its value starts; else -1. */
    private static int nameEnd(byte[] m, int at, byte[] name) {
        if (at + name.length >= m.length) {
            return -1;
        }
        for (int i = 0; i < name.length; i++) {
            int c = m[at + i];
            if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != name[i]) {
                return -1;
            }
        }
        int p = skipSpace(m, at + name.length);
        return p < m.length && m[p] == ':' ? skipSpace(m, p + 1) : -1;
    }

    private static int skipSpace(byte[] m, int at) {
        int p = at;
        while (p < m.length && (m[p] == ' ' || m[p] == '\t')) {
            p++;
        }
        return p;
    }

    /** The start of the line after the one {@code at} is in; -1 at the end of the bytes. */
    private static int nextLine(byte[] m, int at) {
        for (int p = at; p < m.length; p++) {
            if (m[p] == '\n') {
                return p + 1;
            }
        }
        return -1;
    }
}
