package org.switchboard.sip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Copy-on-modify changes to a message, as a proxy makes them: push or pop a Via, pop a Route, add a
 * Record-Route, replace Max-Forwards or the Request-URI. Lines not touched are copied byte for byte; the body
 * is never changed. {@link #build()} writes the new bytes and parses them once.
 */
public final class MessageEditor {
    /** A header line: either a slice of the original bytes or new text. */
    private record Line(String name, int start, int end, String text) {
        static Line original(HeaderField h) {
            return new Line(h.name(), h.lineStart(), h.nextLine(), null);
        }

        static Line added(String canonical, String wireName, String value) {
            return new Line(canonical, -1, -1, wireName + ": " + value + "\r\n");
        }
    }

    private final SipMessage message;
    private final List<Line> lines;
    private String startLine;

    MessageEditor(SipMessage message) {
        this.message = message;
        this.lines = new ArrayList<>(message.headerFields().size() + 2);
        for (HeaderField h : message.headerFields()) {
            lines.add(Line.original(h));
        }
    }

    /** Inserts a header line above the first line of the same name, or at the top of the header block. */
    public MessageEditor prepend(String wireName, String value) {
        String canonical = HeaderNames.canonical(wireName);
        int at = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).name().equals(canonical)) {
                at = i;
                break;
            }
        }
        lines.add(at, Line.added(canonical, wireName, value));
        return this;
    }

    /** Appends a header line at the end of the header block. */
    public MessageEditor append(String wireName, String value) {
        lines.add(Line.added(HeaderNames.canonical(wireName), wireName, value));
        return this;
    }

    /** Removes the first value of a (list) header: the whole line if it has one value, else its first element. */
    public MessageEditor removeFirstValue(String canonicalName) {
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (!l.name().equals(canonicalName)) {
                continue;
            }
            String value = valueOf(l);
            List<String> parts = Lexer.splitOutsideQuotes(value, ',');
            if (parts.size() <= 1) {
                lines.remove(i);
            } else {
                lines.set(i, Line.added(canonicalName, wireNameOf(l), String.join(",", parts.subList(1, parts.size())).trim()));
            }
            return this;
        }
        return this;
    }

    /** Replaces the first value of a header (keeping any further values on that line). */
    public MessageEditor replaceFirstValue(String canonicalName, String newValue) {
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (l.name().equals(canonicalName)) {
                List<String> parts = new ArrayList<>(HeaderNames.isList(canonicalName)
                        ? Lexer.splitOutsideQuotes(valueOf(l), ',') : List.of(valueOf(l)));
                parts.set(0, newValue);
                lines.set(i, Line.added(canonicalName, wireNameOf(l), String.join(", ", parts.stream().map(String::trim).toList())));
                return this;
            }
        }
        return this;
    }

    /** Sets a single-valued header, replacing the first line of that name or appending one. */
    public MessageEditor set(String wireName, String value) {
        String canonical = HeaderNames.canonical(wireName);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).name().equals(canonical)) {
                lines.set(i, Line.added(canonical, wireName, value));
                return this;
            }
        }
        return append(wireName, value);
    }

    public MessageEditor remove(String canonicalName) {
        lines.removeIf(l -> l.name().equals(canonicalName));
        return this;
    }

    public MessageEditor requestUri(String uri) {
        if (!(message instanceof SipRequest r)) {
            throw new IllegalStateException("a response has no Request-URI");
        }
        this.startLine = r.method() + " " + uri + " " + r.version();
        return this;
    }

    public byte[] toBytes() {
        byte[] src = message.bytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream(src.length + 256);
        if (startLine != null) {
            out.writeBytes((startLine + "\r\n").getBytes(StandardCharsets.UTF_8));
        } else {
            out.write(src, 0, message.headersStart());
        }
        boolean hasLength = false;
        for (Line l : lines) {
            hasLength |= l.name().equals(HeaderNames.CONTENT_LENGTH);
            if (l.text() != null) {
                out.writeBytes(l.text().getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(src, l.start(), l.end() - l.start());
            }
        }
        if (!hasLength) {
            // a message that came without Content-Length (legal on UDP) may leave on a stream, where it is required
            out.writeBytes(("Content-Length: " + message.bodyLength() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write('\r');
        out.write('\n');
        out.write(src, message.bodyStart(), message.bodyLength());
        return out.toByteArray();
    }

    /** The edited message, parsed. */
    public SipMessage build() {
        ParseResult result = SipParser.parse(toBytes());
        if (result instanceof ParseResult.Malformed m) {
            throw new SipParseException(m.error().offset(), m.error().expected());
        }
        return ((ParseResult.Parsed) result).message();
    }

    private String valueOf(Line l) {
        if (l.text() != null) {
            String t = l.text();
            return t.substring(t.indexOf(':') + 1).trim();
        }
        for (HeaderField h : message.headerFields()) {
            if (h.lineStart() == l.start()) {
                return message.value(h);
            }
        }
        throw new IllegalStateException("line not in message");
    }

    private String wireNameOf(Line l) {
        if (l.text() != null) {
            return l.text().substring(0, l.text().indexOf(':')).trim();
        }
        byte[] src = message.bytes();
        int i = l.start();
        while (i < l.end() && src[i] != ':' && src[i] != ' ' && src[i] != '\t') {
            i++;
        }
        return new String(src, l.start(), i - l.start(), StandardCharsets.US_ASCII);
    }
}
