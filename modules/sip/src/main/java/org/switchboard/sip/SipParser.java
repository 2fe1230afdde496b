package org.switchboard.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses one whole SIP message (a datagram, or one message cut out of a stream by the framer).
 * Indexes the start line and header lines; checks the headers every request and response must have.
 * Follows RFC 3261 §18.3 for the body: shorter than Content-Length is an error, longer is cut.
 */
public final class SipParser {
    private static final int MAX_HEADERS = 256;

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
        int lineEnd = indexOf(data, p, end, (byte) '\n');
        if (lineEnd < 0) {
            throw new SipParseException(p - offset, "start line ended by CRLF");
        }
        int startLineEnd = lineEnd > p && data[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        String startLine = new String(data, p, startLineEnd - p, StandardCharsets.UTF_8);
        int headersStart = lineEnd + 1;

        List<HeaderField> headers = new ArrayList<>(16);
        int q = headersStart;
        int bodyStart = -1;
        int contentLength = -1;
        while (q < end) {
            int nl = indexOf(data, q, end, (byte) '\n');
            if (nl < 0) {
                throw new SipParseException(q - offset, "CRLF ending the header line");
            }
            int le = nl > q && data[nl - 1] == '\r' ? nl - 1 : nl;
            if (le == q) {
                bodyStart = nl + 1;
                break;
            }
            if (data[q] == ' ' || data[q] == '\t') {
                if (headers.isEmpty()) {
                    throw new SipParseException(q - offset, "header name");
                }
                HeaderField last = headers.remove(headers.size() - 1);
                headers.add(new HeaderField(last.name(), last.lineStart(), last.valueStart(), le, nl + 1));
                q = nl + 1;
                continue;
            }
            int n = q;
            while (n < le && isTokenByte(data[n])) {
                n++;
            }
            if (n == q) {
                throw new SipParseException(q - offset, "header name");
            }
            int c = n;
            while (c < le && (data[c] == ' ' || data[c] == '\t')) {
                c++;
            }
            if (c >= le || data[c] != ':') {
                throw new SipParseException(c - offset, "':' after header name");
            }
            int v = c + 1;
            while (v < le && (data[v] == ' ' || data[v] == '\t')) {
                v++;
            }
            if (headers.size() == MAX_HEADERS) {
                throw new SipParseException(q - offset, "at most " + MAX_HEADERS + " header lines");
            }
            String name = HeaderNames.canonical(new String(data, q, n - q, StandardCharsets.US_ASCII));
            headers.add(new HeaderField(name, q, v, le, nl + 1));
            q = nl + 1;
        }
        if (bodyStart < 0) {
            throw new SipParseException(end - offset, "empty line ending the header block");
        }
        for (HeaderField h : headers) {
            if (h.name().equals(HeaderNames.CONTENT_LENGTH)) {
                String v = new String(data, h.valueStart(), h.lineEnd() - h.valueStart(), StandardCharsets.US_ASCII).trim();
                try {
                    contentLength = SipMessage.parseDelta(v);
                } catch (SipParseException e) {
                    throw new SipParseException(h.valueStart() - offset, "Content-Length digits");
                }
                break;
            }
        }
        int available = end - bodyStart;
        int bodyLength = contentLength < 0 ? available : contentLength;
        if (bodyLength > available) {
            throw new SipParseException(end - offset, "body of " + contentLength + " bytes as Content-Length says");
        }
        int messageEnd = bodyStart + bodyLength;
        byte[] bytes = offset == 0 && messageEnd == data.length ? data : Arrays.copyOfRange(data, offset, messageEnd);
        List<HeaderField> rebased = offset == 0 ? headers : rebase(headers, offset);
        int shift = offset;
        SipMessage message = startLine.startsWith("SIP/")
                ? response(bytes, startLine, p - offset, headersStart - shift, rebased, bodyStart - shift, bodyLength)
                : request(bytes, startLine, p - offset, headersStart - shift, rebased, bodyStart - shift, bodyLength);
        MandatoryHeaders.check(message);
        return message;
    }

    private static SipRequest request(byte[] bytes, String startLine, int lineOffset, int headersStart,
                                      List<HeaderField> headers, int bodyStart, int bodyLength) {
        // Request-Line = Method SP Request-URI SP SIP-Version CRLF: exactly two single SPs. Extra or trailing
        // SP (RFC 4475 §3.1.2.9, §3.1.2.10) and LWS inside the URI (§3.1.2.8) are rejected, as the RFC allows.
        int sp1 = startLine.indexOf(' ');
        if (sp1 <= 0) {
            throw new SipParseException(lineOffset + Math.max(sp1, 0), "request line Method SP Request-URI SP SIP-Version");
        }
        String method = startLine.substring(0, sp1);
        for (int i = 0; i < method.length(); i++) {
            if (!Lexer.isTokenChar(method.charAt(i))) {
                throw new SipParseException(lineOffset + i, "method token");
            }
        }
        int sp2 = startLine.indexOf(' ', sp1 + 1);
        if (sp2 < 0) {
            throw new SipParseException(lineOffset + startLine.length(), "SP before SIP-Version");
        }
        String uri = startLine.substring(sp1 + 1, sp2);
        if (uri.isEmpty() || uri.indexOf(':') <= 0) {
            throw new SipParseException(lineOffset + sp1 + 1, "Request-URI with a scheme");
        }
        int sp3 = startLine.indexOf(' ', sp2 + 1);
        if (sp3 >= 0 && startLine.substring(sp3).isBlank()) {
            throw new SipParseException(lineOffset + sp3, "CRLF right after SIP-Version, no SP");
        }
        if (sp3 >= 0) {
            throw new SipParseException(lineOffset + sp2, "no white space inside the Request-URI");
        }
        String version = startLine.substring(sp2 + 1);
        if (!isSipVersion(version)) {
            throw new SipParseException(lineOffset + sp2 + 1, "SIP-Version");
        }
        SipUri requestUri;
        try {
            requestUri = SipUri.parse(uri);
        } catch (SipParseException e) {
            throw new SipParseException(lineOffset + sp1 + 1 + e.error().offset(), "Request-URI: " + e.error().expected());
        }
        if (!requestUri.headers().isEmpty()) {
            // RFC 3261 §19.1.1 (table): headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11)
            throw new SipParseException(lineOffset + sp1 + 1 + uri.indexOf('?'), "Request-URI without headers ('?')");
        }
        return new SipRequest(bytes, method, uri, requestUri, version, headersStart, headers, bodyStart, bodyLength);
    }

    private static SipResponse response(byte[] bytes, String startLine, int lineOffset, int headersStart,
                                        List<HeaderField> headers, int bodyStart, int bodyLength) {
        int sp1 = startLine.indexOf(' ');
        if (sp1 < 0 || startLine.length() < sp1 + 4) {
            throw new SipParseException(lineOffset, "status line SIP-Version SP Status-Code SP Reason-Phrase");
        }
        String version = startLine.substring(0, sp1);
        if (!isSipVersion(version)) {
            throw new SipParseException(lineOffset, "SIP-Version");
        }
        int status = 0;
        for (int i = sp1 + 1; i < sp1 + 4; i++) {
            char c = startLine.charAt(i);
            if (c < '0' || c > '9') {
                throw new SipParseException(lineOffset + i, "three-digit Status-Code");
            }
            status = status * 10 + (c - '0');
        }
        if (status < 100 || status > 699) {
            throw new SipParseException(lineOffset + sp1 + 1, "Status-Code from 100 to 699");
        }
        // a fourth digit lands here too: Status-Code is exactly 3DIGIT (RFC 4475 §3.1.2.19, 4294967301)
        if (startLine.length() > sp1 + 4 && startLine.charAt(sp1 + 4) != ' ') {
            throw new SipParseException(lineOffset + sp1 + 4, "SP after the three-digit Status-Code");
        }
        String reason = startLine.length() > sp1 + 5 ? startLine.substring(sp1 + 5) : "";
        return new SipResponse(bytes, version, status, reason, headersStart, headers, bodyStart, bodyLength);
    }

    /** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, the name case-insensitive (RFC 3261 §7.1). */
    private static boolean isSipVersion(String v) {
        if (v.length() < 7 || !v.regionMatches(true, 0, "SIP/", 0, 4)) {
            return false;
        }
        int dot = v.indexOf('.', 4);
        return dot > 4 && dot < v.length() - 1 && allDigits(v, 4, dot) && allDigits(v, dot + 1, v.length());
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static List<HeaderField> rebase(List<HeaderField> headers, int offset) {
        List<HeaderField> out = new ArrayList<>(headers.size());
        for (HeaderField h : headers) {
            out.add(new HeaderField(h.name(), h.lineStart() - offset, h.valueStart() - offset,
                    h.lineEnd() - offset, h.nextLine() - offset));
        }
        return out;
    }

    static int indexOf(byte[] data, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isTokenByte(byte b) {
        return b > 0 && Lexer.isTokenChar((char) b);
    }
}
