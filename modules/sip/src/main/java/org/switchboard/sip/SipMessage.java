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
    private static final int OFFSET_MASK = (1 << 24) - 1;

    private final byte[] bytes;
    /** One int per header line, in order: the offset where its value ends, and its {@link HeaderIds} id << 24. */
    private final int[] index;
    private final int headersStart;
    private final int bodyStart;
    private final int bodyLength;
    // The routing keys as KeyScanner found them in the first line of each header (UNSURE: ask the typed parser),
    // scanned once here because the parser checks them and the edge and entity read them on every message.
    private final long callIdRange;
    private final long topViaBranchRange;
    private final long toTagRange;
    /** CSeq number, or -1 when CSeq is not plain; then cseqMethod is null and the typed parser answers. */
    private final int cseqNumber;
    private final Method cseqMethod;
    /** Built on first use from the index; a benign race (an immutable list, the same content either way). */
    private List<HeaderField> fields;
    // The typed values a proxy reads again and again on one message (dialog matching, routing, topology hiding,
    // CDRs: some twenty readers per call), parsed once on first use; benign races, like fields.
    private NameAddress from;
    private NameAddress to;
    private Via topVia;

    SipMessage(byte[] bytes, int[] index, int headersStart, int bodyStart, int bodyLength) {
        this.bytes = bytes;
        this.index = index;
        this.headersStart = headersStart;
        this.bodyStart = bodyStart;
        this.bodyLength = bodyLength;
        int callId = -1;
        int via = -1;
        int to = -1;
        int cseq = -1;
        for (int i = index.length - 1; i >= 0; i--) { // one pass, backwards: the first line of each wins
            switch (index[i] >>> 24) {
                case HeaderIds.CALL_ID -> callId = i;
                case HeaderIds.VIA -> via = i;
                case HeaderIds.TO -> to = i;
                case HeaderIds.CSEQ -> cseq = i;
                default -> {
                }
            }
        }
        this.callIdRange = callId < 0 ? KeyScanner.UNSURE
                : KeyScanner.callId(bytes, valueStart(callId), lineEnd(callId));
        this.topViaBranchRange = via < 0 ? KeyScanner.UNSURE
                : KeyScanner.viaBranch(bytes, valueStart(via), lineEnd(via));
        this.toTagRange = to < 0 ? KeyScanner.UNSURE : KeyScanner.nameAddrTag(bytes, valueStart(to), lineEnd(to));
        long plainCseq = cseq < 0 ? KeyScanner.UNSURE : KeyScanner.cseq(bytes, valueStart(cseq), lineEnd(cseq));
        if (plainCseq == KeyScanner.UNSURE) {
            this.cseqNumber = -1;
            this.cseqMethod = null;
        } else {
            int method = (int) (plainCseq >>> 32);
            this.cseqNumber = (int) plainCseq;
            this.cseqMethod = Method.of(bytes, method, KeyScanner.trimEnd(bytes, method, lineEnd(cseq)));
        }
    }

    /** The whole message as it was received (or built). Callers must not modify the array. */
    public byte[] bytes() {
        return bytes;
    }

    /** The header lines as offsets, in order. Made on demand: the hot paths read values by name instead. */
    public List<HeaderField> headerFields() {
        List<HeaderField> f = fields;
        if (f == null) {
            HeaderField[] out = new HeaderField[index.length];
            for (int i = 0; i < index.length; i++) {
                out[i] = new HeaderField(name(i), lineStart(i), valueStart(i), lineEnd(i), nextLine(i));
            }
            f = List.of(out);
            fields = f;
        }
        return f;
    }

    /** The protocol version of the start line, e.g. {@code SIP/2.0}. */
    public abstract String version();

    public abstract boolean isRequest();

    /** The value of the first header line with this name, unfolded and trimmed. */
    public Optional<String> header(HeaderName name) {
        int i = first(name);
        return i < 0 ? Optional.empty() : Optional.of(value(i));
    }

    /** {@link #header(HeaderName)} by any spelling of the name (see {@link HeaderName#of}). */
    public Optional<String> header(String name) {
        return header(HeaderName.of(name));
    }

    /** Every value of a header across lines; list headers ({@link HeaderName#isList}) are also split at their commas. */
    public List<String> headers(HeaderName name) {
        List<String> out = new ArrayList<>(2);
        boolean list = name.isList();
        for (int i = 0; i < index.length; i++) {
            if (!nameIs(i, name)) {
                continue;
            }
            String v = value(i);
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
        return out;
    }

    /** {@link #headers(HeaderName)} by any spelling of the name (see {@link HeaderName#of}). */
    public List<String> headers(String name) {
        return headers(HeaderName.of(name));
    }

    /** The value of a header line with folding removed (RFC 3261 §7.3.1). */
    public String value(HeaderField h) {
        return value(h.valueStart(), h.lineEnd());
    }

    String value(int i) {
        return value(valueStart(i), lineEnd(i));
    }

    private String value(int from, int to) {
        String raw = new String(bytes, from, to - from, StandardCharsets.UTF_8);
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

    // --- the index: package-private, offsets into bytes(); a line index is -1 where no such line exists ---

    int headerCount() {
        return index.length;
    }

    int id(int i) {
        return index[i] >>> 24;
    }

    int lineEnd(int i) {
        return index[i] & OFFSET_MASK;
    }

    /** A line starts where the one before it ended, past its CRLF (or bare LF). */
    int lineStart(int i) {
        return i == 0 ? headersStart : nextLine(i - 1);
    }

    int nextLine(int i) {
        int le = lineEnd(i);
        return bytes[le] == '\r' ? le + 2 : le + 1;
    }

    int nameEnd(int i) {
        int n = lineStart(i);
        int id = id(i);
        if (id != HeaderIds.OTHER) {
            // a name we know is its compact form (one letter, then ':' or white space) or its long form
            byte second = bytes[n + 1];
            return n + (second == ':' || second == ' ' || second == '\t' ? 1 : HeaderIds.length(id));
        }
        while (Lexer.is(Lexer.TOKEN_BYTE, bytes[n])) {
            n++;
        }
        return n;
    }

    /** Past the name, the colon and the white space around it, as the parser checked them. */
    int valueStart(int i) {
        int v = nameEnd(i);
        while (bytes[v] == ' ' || bytes[v] == '\t') {
            v++;
        }
        v++; // the ':'
        while (bytes[v] == ' ' || bytes[v] == '\t') {
            v++;
        }
        return v;
    }

    HeaderName name(int i) {
        int id = id(i);
        return id == HeaderIds.OTHER ? HeaderName.ofWire(bytes, lineStart(i), nameEnd(i)) : HeaderName.ofId(id);
    }

    /** The first line with this id (one of ours), or -1. */
    int first(int id) {
        for (int i = 0; i < index.length; i++) {
            if (index[i] >>> 24 == id) {
                return i;
            }
        }
        return -1;
    }

    int first(HeaderName name) {
        if (name.id() != HeaderIds.OTHER) {
            return first(name.id());
        }
        for (int i = 0; i < index.length; i++) {
            if (nameIs(i, name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether line i has this name: by id for the names the parser knows, else by its bytes (no String made). */
    private boolean nameIs(int i, HeaderName name) {
        int id = name.id();
        if (id != HeaderIds.OTHER) {
            return id(i) == id;
        }
        return id(i) == HeaderIds.OTHER && HeaderIds.wireEquals(bytes, lineStart(i), nameEnd(i), name.key());
    }

    public String callId() {
        int i = first(HeaderIds.CALL_ID);
        if (i < 0) {
            throw new SipParseException(0, "Call-ID header");
        }
        return value(i);
    }

    public CSeq cseq() {
        return CSeq.parse(header(HeaderName.CSEQ).orElseThrow(() -> new SipParseException(0, "CSeq header")));
    }

    public List<Via> vias() {
        return headers(HeaderName.VIA).stream().map(Via::parse).toList();
    }

    public Via topVia() {
        Via v = topVia;
        if (v == null) {
            List<String> vias = headers(HeaderName.VIA);
            if (vias.isEmpty()) {
                throw new SipParseException(0, "Via header");
            }
            v = Via.parse(vias.get(0));
            topVia = v;
        }
        return v;
    }

    public NameAddress from() {
        NameAddress f = from;
        if (f == null) {
            f = NameAddress.parse(header(HeaderName.FROM).orElseThrow(() -> new SipParseException(0, "From header")));
            from = f;
        }
        return f;
    }

    public NameAddress to() {
        NameAddress t = to;
        if (t == null) {
            t = NameAddress.parse(header(HeaderName.TO).orElseThrow(() -> new SipParseException(0, "To header")));
            to = t;
        }
        return t;
    }

    public List<NameAddress> routes() {
        return headers(HeaderName.ROUTE).stream().map(NameAddress::parse).toList();
    }

    public List<NameAddress> recordRoutes() {
        return headers(HeaderName.RECORD_ROUTE).stream().map(NameAddress::parse).toList();
    }

    /** The Contact values; a {@code *} is returned as the literal string by {@link #headers}, not here. */
    public List<NameAddress> contacts() {
        return headers(HeaderName.CONTACT).stream().filter(c -> !c.equals("*")).map(NameAddress::parse).toList();
    }

    public boolean hasWildcardContact() {
        return headers(HeaderName.CONTACT).stream().anyMatch(c -> c.equals("*"));
    }

    public OptionalInt expires() {
        return header(HeaderName.EXPIRES).map(v -> OptionalInt.of(parseDelta(v))).orElse(OptionalInt.empty());
    }

    public OptionalInt maxForwards() {
        return header(HeaderName.MAX_FORWARDS).map(v -> OptionalInt.of(parseDelta(v))).orElse(OptionalInt.empty());
    }

    // --- routing keys without a String: for the edge and the entity's hot path (bench/RESULTS.md) ---
    // Each reads the value straight from the bytes when it has the common plain shape (KeyScanner) and goes
    // through the typed accessor otherwise, so the answer is always the typed accessor's.

    /** {@code callId().hashCode()}, without making the String when the Call-ID is plain ASCII. */
    public int callIdHash() {
        long r = callIdRange;
        return r == KeyScanner.UNSURE ? callId().hashCode() : hash(r);
    }

    /** {@code callId().contentEquals(text)}, without making the String when the Call-ID is plain ASCII. */
    public boolean callIdEquals(CharSequence text) {
        long r = callIdRange;
        return r == KeyScanner.UNSURE ? callId().contentEquals(text) : rangeEquals(r, text);
    }

    /** The top Via's branch, as {@code topVia().branch()} gives it, without parsing the whole Via. */
    public Optional<String> topViaBranch() {
        long r = topViaBranchRange();
        return r == KeyScanner.UNSURE ? topVia().branch() : optionalText(r);
    }

    /** {@code topViaBranch().orElse("").hashCode()}, allocating nothing when the top Via is plain. */
    public int topViaBranchHash() {
        long r = topViaBranchRange();
        return r == KeyScanner.UNSURE ? topVia().branch().orElse("").hashCode() : hash(r);
    }

    /** {@code topViaBranch().orElse("").contentEquals(text)}, allocating nothing when the top Via is plain. */
    public boolean topViaBranchEquals(CharSequence text) {
        long r = topViaBranchRange();
        return r == KeyScanner.UNSURE ? topVia().branch().orElse("").contentEquals(text) : rangeEquals(r, text);
    }

    /** The To tag, as {@code to().tag()} gives it, without parsing the whole To. */
    public Optional<String> toTag() {
        long r = toTagRange();
        return r == KeyScanner.UNSURE ? to().tag() : optionalText(r);
    }

    /** {@code toTag().orElse("").hashCode()} (0 without a tag), allocating nothing when To is plain. */
    public int toTagHash() {
        long r = toTagRange();
        return r == KeyScanner.UNSURE ? to().tag().orElse("").hashCode() : hash(r);
    }

    /** {@code toTag().isPresent()}, allocating nothing when To is plain. */
    public boolean hasToTag() {
        long r = toTagRange();
        return r == KeyScanner.UNSURE ? to().tag().isPresent() : r != KeyScanner.ABSENT;
    }

    /** {@code cseq().number()}, allocating nothing when CSeq is plain. */
    public long cseqNumber() {
        return cseqNumber < 0 ? cseq().number() : cseqNumber;
    }

    /** {@code cseq().method()}; a constant for the common methods, so nothing is allocated for them. */
    public String cseqMethod() {
        return cseqNumber < 0 ? cseq().method() : cseqMethod.name();
    }

    /** {@code cseq().methodType()}; a constant for the known methods, so nothing is allocated for them. */
    public Method cseqMethodType() {
        return cseqNumber < 0 ? cseq().methodType() : cseqMethod;
    }

    /** Whether CSeq was plain enough for {@link KeyScanner}: if not, the typed parser must judge it. */
    boolean plainCseq() {
        return cseqNumber >= 0;
    }

    boolean plainCallId() {
        return callIdRange != KeyScanner.UNSURE;
    }

    /** The range of the top Via's branch; ABSENT without one; UNSURE when the first Via line is not plain. */
    long topViaBranchRange() {
        return topViaBranchRange;
    }

    long toTagRange() {
        return toTagRange;
    }

    /** Not kept: the parser checks From once, and nothing on the hot path reads its tag again. */
    long fromTagRange() {
        int i = first(HeaderIds.FROM);
        return i < 0 ? KeyScanner.UNSURE : KeyScanner.nameAddrTag(bytes, valueStart(i), lineEnd(i));
    }

    private Optional<String> optionalText(long range) {
        if (range == KeyScanner.ABSENT) {
            return Optional.empty();
        }
        int from = KeyScanner.start(range);
        return Optional.of(new String(bytes, from, KeyScanner.end(range) - from, StandardCharsets.US_ASCII));
    }

    /** String.hashCode of the ASCII text in the range; the empty string's (0) for ABSENT. */
    int hash(long range) {
        if (range == KeyScanner.ABSENT) {
            return 0;
        }
        int h = 0;
        for (int i = KeyScanner.start(range), end = KeyScanner.end(range); i < end; i++) {
            h = 31 * h + (bytes[i] & 0xFF);
        }
        return h;
    }

    /** Whether the ASCII text in the range is {@code text}; ABSENT is the empty string. */
    boolean rangeEquals(long range, CharSequence text) {
        int from = range == KeyScanner.ABSENT ? 0 : KeyScanner.start(range);
        int end = range == KeyScanner.ABSENT ? 0 : KeyScanner.end(range);
        if (end - from != text.length()) {
            return false;
        }
        for (int i = from; i < end; i++) {
            if ((bytes[i] & 0xFF) != text.charAt(i - from)) {
                return false;
            }
        }
        return true;
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

    /** Offset where the header block begins (just past the start line). */
    int headersStart() {
        return headersStart;
    }

    public MessageEditor edit() {
        return new MessageEditor(this);
    }

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
