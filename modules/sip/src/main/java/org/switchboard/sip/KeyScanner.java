package org.switchboard.sip;

/**
 * Byte scanners for the common shape of the headers the edge checks on every message (top Via, From/To, CSeq,
 * Call-ID, Request-URI), allocating nothing. They accept a strict subset of what the typed parsers ({@link Via},
 * {@link NameAddress}, {@link CSeq}, {@link SipUri}) accept and answer {@link #UNSURE} for anything else: no LWS
 * inside, no quoted parameter values, no IPv6, no folding, ASCII only. On UNSURE the caller runs the typed parser,
 * which is the one grammar: it either accepts or throws the error with its offset. So a fast "yes" never admits a
 * message the typed parsers would refuse, and the errors are the same as before.
 *
 * <p>Ranges come back packed in a long, {@code start << 32 | end}; {@link #ABSENT} is a valid value without the
 * parameter asked for.
 */
final class KeyScanner {
    static final long UNSURE = -1L;
    static final long ABSENT = -2L;

    private static final byte[] BRANCH = {'b', 'r', 'a', 'n', 'c', 'h'};
    private static final byte[] TAG = {'t', 'a', 'g'};

    private KeyScanner() {
    }

    static int start(long range) {
        return (int) (range >>> 32);
    }

    static int end(long range) {
        return (int) range;
    }

    /**
     * The end of {@code [from, to)} without trailing SP/HTAB. A folded value keeps its CR LF inside, which no
     * scanner here accepts: folding always ends in UNSURE (except after the comma that ends a first via-parm,
     * where the typed parser sees the same first value).
     */
    static int trimEnd(byte[] b, int from, int to) {
        int e = to;
        while (e > from && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        return e;
    }

    /** Call-ID = word ["@" word]: here any visible ASCII, at least one; the range of the value. */
    static long callId(byte[] b, int from, int to) {
        int e = trimEnd(b, from, to);
        if (e <= from) {
            return UNSURE;
        }
        for (int i = from; i < e; i++) {
            if (b[i] < 0x21 || b[i] > 0x7E) {
                return UNSURE;
            }
        }
        return range(from, e);
    }

    /**
     * The first via-parm of a Via value: {@code SIP/2.0/transport SP host[:port] *(;param[=value])}, ended by the
     * value's end or a comma. Gives the range of the first {@code branch} parameter's value.
     */
    static long viaBranch(byte[] b, int from, int to) {
        int e = trimEnd(b, from, to);
        if (e - from < 9 || (b[from] | 0x20) != 's' || (b[from + 1] | 0x20) != 'i'
                || (b[from + 2] | 0x20) != 'p' || b[from + 3] != '/' || b[from + 4] != '2' || b[from + 5] != '.'
                || b[from + 6] != '0' || b[from + 7] != '/') {
            return UNSURE;
        }
        int i = from + 8;
        int transport = i;
        while (i < e && Lexer.is(Lexer.TOKEN_BYTE, b[i])) {
            i++;
        }
        int sp = i;
        while (i < e && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        if (sp == transport || i == sp) {
            return UNSURE;
        }
        i = hostPort(b, i, e);
        if (i < 0) {
            return UNSURE;
        }
        long found = ABSENT;
        while (i < e && b[i] == ';') {
            long param = param(b, i + 1, e);
            if (param == UNSURE) {
                return UNSURE;
            }
            if (found == ABSENT && nameIs(b, i + 1, BRANCH)) {
                found = param;
            }
            i = end(param);
        }
        return i == e || b[i] == ',' || b[i] == ' ' || b[i] == '\t' ? commaOrEnd(b, i, e, found) : UNSURE;
    }

    /** After a via-parm only white space, then the end or a comma before the next one. */
    private static long commaOrEnd(byte[] b, int from, int e, long found) {
        int i = from;
        while (i < e && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i == e || b[i] == ',' ? found : UNSURE;
    }

    /**
     * A From or To value in name-addr form: {@code [display-name] <sip-uri> *(;param[=value])}, the display name
     * tokens or a plain quoted string. Gives the range of the first {@code tag} parameter's value.
     */
    static long nameAddrTag(byte[] b, int from, int to) {
        int e = trimEnd(b, from, to);
        int i = displayName(b, from, e);
        if (i < 0 || i >= e || b[i] != '<') {
            return UNSURE;
        }
        int gt = i + 1;
        while (gt < e && b[gt] != '>') {
            gt++;
        }
        if (gt == e || !sipUri(b, i + 1, gt)) {
            return UNSURE;
        }
        i = gt + 1;
        long found = ABSENT;
        while (i < e && b[i] == ';') {
            long param = param(b, i + 1, e);
            if (param == UNSURE) {
                return UNSURE;
            }
            if (found == ABSENT && nameIs(b, i + 1, TAG)) {
                found = param;
            }
            i = end(param);
        }
        return i == e ? found : UNSURE;
    }

    /** Where '<' should be after an optional display name (tokens separated by SP, or a plain quoted string). */
    private static int displayName(byte[] b, int from, int e) {
        int i = from;
        if (i < e && b[i] == '"') {
            i++;
            while (i < e && b[i] != '"') {
                if (b[i] < 0x20 || b[i] > 0x7E || b[i] == '\\') {
                    return -1;
                }
                i++;
            }
            if (i == e) {
                return -1;
            }
            i++;
        } else {
            while (i < e && (Lexer.is(Lexer.TOKEN_BYTE, b[i]) || b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
        }
        while (i < e && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * {@code sip:} or {@code sips:} [user[:password]@] host [:port] *(;param[=value]), exactly filling
     * {@code [from, to)}: no '?' headers, no IPv6, no escapes outside the user part.
     */
    static boolean sipUri(byte[] b, int from, int to) {
        int i = from;
        if (to - i < 5 || (b[i] | 0x20) != 's' || (b[i + 1] | 0x20) != 'i' || (b[i + 2] | 0x20) != 'p') {
            return false;
        }
        i += 3;
        if ((b[i] | 0x20) == 's') {
            i++;
        }
        if (b[i] != ':') {
            return false;
        }
        i++;
        // userinfo ends at the first '@' (as the typed parser splits it) and needs a user before any ':'. Without
        // an '@' at the end of the user characters, an '@' further on stops the host scan below: not plain.
        int at = i;
        while (at < to && Lexer.is(Lexer.USER_BYTE, b[at])) {
            at++;
        }
        if (at < to && b[at] == '@') {
            if (at == i || b[i] == ':') {
                return false;
            }
            i = at + 1;
        }
        i = hostPort(b, i, to);
        if (i < 0) {
            return false;
        }
        while (i < to && b[i] == ';') {
            long param = param(b, i + 1, to);
            if (param == UNSURE) {
                return false;
            }
            i = end(param);
        }
        return i == to;
    }

    /** host [":" port]: where it ends, or -1. A port is 1 to 5 digits up to 65535. */
    private static int hostPort(byte[] b, int from, int to) {
        int i = from;
        while (i < to && Lexer.is(Lexer.HOST_BYTE, b[i])) {
            i++;
        }
        if (i == from) {
            return -1;
        }
        if (i < to && b[i] == ':') {
            int digits = ++i;
            int port = 0;
            while (i < to && b[i] >= '0' && b[i] <= '9' && i - digits < 5) {
                port = port * 10 + (b[i++] - '0');
            }
            if (i == digits || port > 65535 || (i < to && b[i] >= '0' && b[i] <= '9')) {
                return -1;
            }
        }
        return i;
    }

    /**
     * One parameter {@code name[=value]} from {@code from} (just past its ';'): the range of its value (empty when
     * it has none), whose end is where the parameter ends; UNSURE if it is not plain.
     */
    private static long param(byte[] b, int from, int to) {
        int i = from;
        while (i < to && Lexer.is(Lexer.PARAM_BYTE, b[i])) {
            i++;
        }
        if (i == from) {
            return UNSURE;
        }
        if (i == to || b[i] != '=') {
            return range(i, i);
        }
        int value = ++i;
        while (i < to && Lexer.is(Lexer.PARAM_BYTE, b[i])) {
            i++;
        }
        return i == value ? UNSURE : range(value, i);
    }

    /** Whether the parameter name at {@code from} is {@code lowerName}, ignoring case, and ends there. */
    private static boolean nameIs(byte[] b, int from, byte[] lowerName) {
        int n = lowerName.length;
        if (from + n > b.length) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (HeaderIds.lower(b[from + k]) != lowerName[k]) {
                return false;
            }
        }
        return from + n == b.length || !Lexer.is(Lexer.PARAM_BYTE, b[from + n]);
    }

    /**
     * CSeq = 1*DIGIT LWS Method, the number below 2^31 (at most ten digits). Gives the number in the low 32
     * bits and where the method starts in the high ones; the method runs to the trimmed end.
     */
    static long cseq(byte[] b, int from, int to) {
        int e = trimEnd(b, from, to);
        int i = from;
        long n = 0;
        while (i < e && b[i] >= '0' && b[i] <= '9' && i - from < 10) {
            n = n * 10 + (b[i++] - '0');
        }
        if (i == from || n > 0x7FFFFFFFL || i == e || (b[i] != ' ' && b[i] != '\t')) {
            return UNSURE;
        }
        while (i < e && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        int method = i;
        while (i < e && Lexer.is(Lexer.TOKEN_BYTE, b[i])) {
            i++;
        }
        return i == method || i != e ? UNSURE : (long) method << 32 | n;
    }

    static long range(int start, int end) {
        return (long) start << 32 | end;
    }
}
