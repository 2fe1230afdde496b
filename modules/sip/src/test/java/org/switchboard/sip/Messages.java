package org.switchboard.sip;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test messages: readable files with LF line ends under resources/messages, sent with CRLF as SIP wants. */
final class Messages {
    private Messages() {
    }

    static byte[] load(String name) {
        try (InputStream in = Messages.class.getResourceAsStream("/messages/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test message " + name);
            }
            return crlf(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** LF -> CRLF in the header block; the body after the first empty line is taken as written. */
    static byte[] crlf(String text) {
        int blank = text.indexOf("\n\n");
        String head = blank < 0 ? text : text.substring(0, blank + 2);
        String body = blank < 0 ? "" : text.substring(blank + 2);
        return (head.replace("\n", "\r\n") + body.replace("\n", "\r\n")).getBytes(StandardCharsets.UTF_8);
    }

    static SipMessage parse(byte[] bytes) {
        ParseResult r = SipParser.parse(bytes);
        if (r instanceof ParseResult.Malformed m) {
            throw new AssertionError("malformed: " + m.error());
        }
        return ((ParseResult.Parsed) r).message();
    }

    static SipMessage parse(String text) {
        return parse(crlf(text));
    }
}
