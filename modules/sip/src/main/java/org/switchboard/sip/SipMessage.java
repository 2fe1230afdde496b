package org.switchboard.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An immutable SIP message over its own bytes. The start line and header positions are indexed once by
 * {@link SipParser}; typed values are parsed when asked for. Writing an untouched message gives back the
 * same bytes; changes go through {@link #edit()}.
 */
public abstract sealed class SipMessage permits SipRequest, SipResponse {
    private final byte[] bytes;
    private final List<HeaderField> headers;
    private final int bodyStart;
    private final int bodyLength;

    SipMessage(byte[] bytes, List<HeaderField> headers, int bodyStart, int bodyLength) {
        this.bytes = bytes;
        this.headers = headers;
        this.bodyStart = bodyStart;
        this.bodyLength = bodyLength;
    }

    /** The whole message as it was received (or built). Callers must not modify the array. */
    public byte[] bytes() {
        return bytes;
    }

    public List<HeaderField> headerFields() {
        return headers;
    }

    /** The protocol version of the start line, e.g. {@code SIP/2.0}. */
    public abstract String version();

    public abstract boolean isRequest();

    /** The value of the first header line with this canonical name, unfolded and trimmed. */
    public Optional<String> header(String canonicalName) {
        for (HeaderField h : headers) {
            if (h.name().equals(canonicalName)) {
                return Optional.of(value(h));
            }
        }
        return Optional.empty();
    }

    /** Every value of a header across lines; list headers are also split at their commas. */
    public List<String> headers(String canonicalName) {
        List<String> out = new ArrayList<>(2);
        boolean list = HeaderNames.isList(canonicalName);
        for (HeaderField h : headers) {
            if (h.name().equals(canonicalName)) {
                String v = value(h);
                if (list) {
                    for (String part : Lexer.splitOutsideQuotes(v, ',')) {
                        String p = part.trim();
                        if (!p.isEmpty()) {
                            out.add(p);
                        }
                    }
                } else {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /** The value of a header line with folding removed (RFC 3261 §7.3.1). */
    public String value(HeaderField h) {
        String raw = new String(bytes, h.valueStart(), h.lineEnd() - h.valueStart(), StandardCharsets.UTF_8);
        if (raw.indexOf('\n') < 0) {
            return raw.trim();
        }
        // unfold by hand: each CRLF with the white space after it becomes one SP (no regex on the parse path)
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\r' || c == '\n') {
                while (i + 1 < raw.length() && Lexer.isLws(raw.charAt(i + 1))) {
                    i++;
                }
                sb.append(' ');
            } else {
                sb.append(c);
            }
        }
        return sb.toString().trim();
    }

    public String callId() {
        return header(HeaderNames.CALL_ID).orElseThrow(() -> new SipParseException(0, "Call-ID header"));
    }

    public CSeq cseq() {
        return CSeq.parse(header(HeaderNames.CSEQ).orElseThrow(() -> new SipParseException(0, "CSeq header")));
    }

    public List<Via> vias() {
        return headers(HeaderNames.VIA).stream().map(Via::parse).toList();
    }

    public Via topVia() {
        List<String> vias = headers(HeaderNames.VIA);
        if (vias.isEmpty()) {
            throw new SipParseException(0, "Via header");
        }
        return Via.parse(vias.get(0));
    }

    public NameAddress from() {
        return NameAddress.parse(header(HeaderNames.FROM).orElseThrow(() -> new SipParseException(0, "From header")));
    }

    public NameAddress to() {
        return NameAddress.parse(header(HeaderNames.TO).orElseThrow(() -> new SipParseException(0, "To header")));
    }

    public List<NameAddress> routes() {
        return headers(HeaderNames.ROUTE).stream().map(NameAddress::parse).toList();
    }

    public List<NameAddress> recordRoutes() {
        return headers(HeaderNames.RECORD_ROUTE).stream().map(NameAddress::parse).toList();
    }

    /** The Contact values; a {@code *} is returned as the literal string by {@link #headers}, not here. */
    public List<NameAddress> contacts() {
        return headers(HeaderNames.CONTACT).stream().filter(c -> !c.equals("*")).map(NameAddress::parse).toList();
    }

    public boolean hasWildcardContact() {
        return headers(HeaderNames.CONTACT).stream().anyMatch(c -> c.equals("*"));
    }

    public OptionalInt expires() {
        return header(HeaderNames.EXPIRES).map(v -> OptionalInt.of(parseDelta(v))).orElse(OptionalInt.empty());
    }

    public OptionalInt maxForwards() {
        return header(HeaderNames.MAX_FORWARDS).map(v -> OptionalInt.of(parseDelta(v))).orElse(OptionalInt.empty());
    }

    public byte[] body() {
        return Arrays.copyOfRange(bytes, bodyStart, bodyStart + bodyLength);
    }

    public int bodyLength() {
        return bodyLength;
    }

    int bodyStart() {
        return bodyStart;
    }

    public MessageEditor edit() {
        return new MessageEditor(this);
    }

    /** Offset where the header block begins (just past the start line). */
    abstract int headersStart();

    /** A delta-seconds or small count (Expires, Max-Forwards): digits only; saturates at 2^31-1 as RFC 3261 says. */
    public static int parseDelta(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new SipParseException(0, "a number");
        }
        long n = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                throw new SipParseException(i, "a digit");
            }
            n = Math.min(Integer.MAX_VALUE, n * 10 + (c - '0'));
        }
        return (int) n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SipMessage m && Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
