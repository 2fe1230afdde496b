package org.switchboard.sip;

import java.nio.charset.StandardCharsets;

/**
 * The start line (RFC 3261 §7.1, §7.2), read from the bytes: offsets in errors are byte offsets into the message.
 * Known methods ({@link Method}) and {@code SIP/2.0} come back as constants, so a typical start line allocates nothing; the
 * Request-URI is checked by {@link KeyScanner#sipUri} and parsed into a {@link SipUri} only when that scanner
 * is unsure (or later, when asked).
 */
final class StartLine {
    static final String SIP_2_0 = "SIP/2.0";

    private StartLine() {
    }

    static boolean isStatusLine(byte[] b, int from, int to) {
        return to - from >= 4 && b[from] == 'S' && b[from + 1] == 'I' && b[from + 2] == 'P' && b[from + 3] == '/';
    }

    static SipRequest request(byte[] b, int from, int to, int[] index, int headersStart, int bodyStart,
                              int bodyLength) {
        // Request-Line = Method SP Request-URI SP SIP-Version CRLF: exactly two single SPs. Extra or trailing
        // SP (RFC 4475 §3.1.2.9, §3.1.2.10) and LWS inside the URI (§3.1.2.8) are rejected, as the RFC allows.
        int sp1 = indexOf(b, from, to, ' ');
        if (sp1 <= from) {
            throw new SipParseException(from, "request line Method SP Request-URI SP SIP-Version");
        }
        for (int i = from; i < sp1; i++) {
            if (!Lexer.is(Lexer.TOKEN_BYTE, b[i])) {
                throw new SipParseException(i, "method token");
            }
        }
        int sp2 = indexOf(b, sp1 + 1, to, ' ');
        if (sp2 < 0) {
            throw new SipParseException(to, "SP before SIP-Version");
        }
        int uriStart = sp1 + 1;
        int colon = indexOf(b, uriStart, sp2, ':');
        if (colon <= uriStart) {
            throw new SipParseException(uriStart, "Request-URI with a scheme");
        }
        int sp3 = indexOf(b, sp2 + 1, to, ' ');
        if (sp3 >= 0 && allWhitespace(b, sp3, to)) {
            throw new SipParseException(sp3, "CRLF right after SIP-Version, no SP");
        }
        if (sp3 >= 0) {
            throw new SipParseException(sp2, "no white space inside the Request-URI");
        }
        if (!equals(b, sp2 + 1, to, SIP_2_0) && !isSipVersion(b, sp2 + 1, to)) {
            throw new SipParseException(sp2 + 1, "SIP-Version");
        }
        SipUri slowlyParsed = KeyScanner.sipUri(b, uriStart, sp2) ? null : requestUri(b, uriStart, sp2);
        Method method = Method.of(b, from, sp1);
        String version = version(b, sp2 + 1, to);
        return new SipRequest(b, index, headersStart, bodyStart, bodyLength, method, version, uriStart, sp2,
                slowlyParsed);
    }

    /** The typed parse of a Request-URI the scanner was unsure of: it throws the error, or gives the URI. */
    private static SipUri requestUri(byte[] b, int from, int to) {
        String uri = new String(b, from, to - from, StandardCharsets.UTF_8);
        SipUri parsed;
        try {
            parsed = SipUri.parse(uri);
        } catch (SipParseException e) {
            throw new SipParseException(from + e.error().offset(), "Request-URI: " + e.error().expected());
        }
        if (!parsed.headers().isEmpty()) {
            // RFC 3261 §19.1.1 (table): headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11)
            throw new SipParseException(from + uri.indexOf('?'), "Request-URI without headers ('?')");
        }
        return parsed;
    }

    static SipResponse response(byte[] b, int from, int to, int[] index, int headersStart, int bodyStart,
                                int bodyLength) {
        int sp1 = indexOf(b, from, to, ' ');
        if (sp1 < 0 || to < sp1 + 4) {
            throw new SipParseException(from, "status line SIP-Version SP Status-Code SP Reason-Phrase");
        }
        if (!equals(b, from, sp1, SIP_2_0) && !isSipVersion(b, from, sp1)) {
            throw new SipParseException(from, "SIP-Version");
        }
        int status = 0;
        for (int i = sp1 + 1; i < sp1 + 4; i++) {
            if (b[i] < '0' || b[i] > '9') {
                throw new SipParseException(i, "three-digit Status-Code");
            }
            status = status * 10 + (b[i] - '0');
        }
        if (status < 100 || status > 699) {
            throw new SipParseException(sp1 + 1, "Status-Code from 100 to 699");
        }
        // a fourth digit lands here too: Status-Code is exactly 3DIGIT (RFC 4475 §3.1.2.19, 4294967301)
        if (to > sp1 + 4 && b[sp1 + 4] != ' ') {
            throw new SipParseException(sp1 + 4, "SP after the three-digit Status-Code");
        }
        int reasonStart = Math.min(sp1 + 5, to);
        return new SipResponse(b, index, headersStart, bodyStart, bodyLength, version(b, from, sp1), status,
                reasonStart, to);
    }

    /** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, the name case-insensitive (RFC 3261 §7.1). */
    private static boolean isSipVersion(byte[] b, int from, int to) {
        if (to - from < 7 || (b[from] | 0x20) != 's' || (b[from + 1] | 0x20) != 'i' || (b[from + 2] | 0x20) != 'p'
                || b[from + 3] != '/') {
            return false;
        }
        int dot = indexOf(b, from + 4, to, '.');
        return dot > from + 4 && dot < to - 1 && allDigits(b, from + 4, dot) && allDigits(b, dot + 1, to);
    }

    private static boolean allDigits(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** Character.isWhitespace for the ASCII a start line holds (anything from 0x80 on is not white space here). */
    private static boolean allWhitespace(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i];
            if (c != ' ' && (c < 0x09 || c > 0x0D) && (c < 0x1C || c > 0x1F)) {
                return false;
            }
        }
        return true;
    }

    private static String version(byte[] b, int from, int to) {
        return equals(b, from, to, SIP_2_0) ? SIP_2_0 : new String(b, from, to - from, StandardCharsets.US_ASCII);
    }

    /** Whether {@code b[from, to)} holds exactly the ASCII text {@code s}. */
    static boolean equals(byte[] b, int from, int to, String s) {
        if (to - from != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[from + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] b, int from, int to, char c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
