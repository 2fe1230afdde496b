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
    private record Line(HeaderName name, int start, int end, String text) {
        static Line original(HeaderField h) {
            return new Line(h.name(), h.lineStart(), h.nextLine(), null);
        }

        static Line added(HeaderName name, String wireName, String value) {
            return new Line(name, -1, -1, wireName + ": " + value + "\r\n");
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
    public MessageEditor prepend(HeaderName name, String value) {
        return prepend(name, name.display(), value);
    }

    /** {@link #prepend(HeaderName, String)}, the line written with {@code wireName} exactly as given. */
    public MessageEditor prepend(String wireName, String value) {
        return prepend(HeaderName.of(wireName), wireName, value);
    }

    private MessageEditor prepend(HeaderName name, String wireName, String value) {
        int at = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).name().equals(name)) {
                at = i;
                break;
            }
        }
        lines.add(at, Line.added(name, wireName, value));
        return this;
    }

    /** Appends a header line at the end of the header block. */
    public MessageEditor append(HeaderName name, String value) {
        lines.add(Line.added(name, name.display(), value));
        return this;
    }

    /** {@link #append(HeaderName, String)}, the line written with {@code wireName} exactly as given. */
    public MessageEditor append(String wireName, String value) {
        lines.add(Line.added(HeaderName.of(wireName), wireName, value));
        return this;
    }

    /** Removes the first value of a (list) header: the whole line if it has one value, else its first element. */
    public MessageEditor removeFirstValue(HeaderName name) {
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (!l.name().equals(name)) {
                continue;
            }
            String value = valueOf(l);
            List<String> parts = Lexer.splitOutsideQuotes(value, ',');
            if (parts.size() <= 1) {
                lines.remove(i);
            } else {
                lines.set(i, Line.added(name, wireNameOf(l), String.join(",", parts.subList(1, parts.size())).trim()));
            }
            return this;
        }
        return this;
    }

    /** {@link #removeFirstValue(HeaderName)} by any spelling of the name. */
    public MessageEditor removeFirstValue(String name) {
        return removeFirstValue(HeaderName.of(name));
    }

    /** Replaces the first value of a header (keeping any further values on that line). */
    public MessageEditor replaceFirstValue(HeaderName name, String newValue) {
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (l.name().equals(name)) {
                List<String> parts = new ArrayList<>(name.isList()
                        ? Lexer.splitOutsideQuotes(valueOf(l), ',') : List.of(valueOf(l)));
                parts.set(0, newValue);
                lines.set(i, Line.added(name, wireNameOf(l), String.join(", ", parts.stream().map(String::trim).toList())));
                return this;
            }
        }
        return this;
    }

    /** {@link #replaceFirstValue(HeaderName, String)} by any spelling of the name. */
    public MessageEditor replaceFirstValue(String name, String newValue) {
        return replaceFirstValue(HeaderName.of(name), newValue);
    }

    /** Sets a single-valued header, replacing the first line of that name or appending one. */
    public MessageEditor set(HeaderName name, String value) {
        return set(name, name.display(), value);
    }

    /** {@link #set(HeaderName, String)}, the line written with {@code wireName} exactly as given. */
    public MessageEditor set(String wireName, String value) {
        return set(HeaderName.of(wireName), wireName, value);
    }

    private MessageEditor set(HeaderName name, String wireName, String value) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).name().equals(name)) {
                lines.set(i, Line.added(name, wireName, value));
                return this;
            }
        }
        lines.add(Line.added(name, wireName, value));
        return this;
    }

    /** Removes every line of this header. */
    public MessageEditor remove(HeaderName name) {
        lines.removeIf(l -> l.name().equals(name));
        return this;
    }

    /** {@link #remove(HeaderName)} by any spelling of the name. */
    public MessageEditor remove(String name) {
        return remove(HeaderName.of(name));
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
            hasLength |= l.name().equals(HeaderName.CONTENT_LENGTH);
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
