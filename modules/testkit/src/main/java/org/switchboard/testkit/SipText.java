package org.switchboard.testkit;

import java.nio.charset.StandardCharsets;

import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipResponse;

/**
 * SIP messages written in tests as readable text (text blocks, LF line ends) and read back from bytes. A message is
 * sent with the CRLF line ends SIP wants; a text without a body gets the empty line that ends its header block.
 */
public final class SipText {
    private SipText() {
    }

    /** The bytes of {@code text} as sent: every LF a CRLF, and the header block closed when no body follows it. */
    public static byte[] wire(String text) {
        String closed = text.contains("\n\n") ? text : (text.endsWith("\n") ? text : text + "\n") + "\n";
        return closed.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The message in {@code bytes}; a malformed one fails the test with the parser's reason. */
    public static SipMessage parse(byte[] bytes) {
        ParseResult result = SipParser.parse(bytes);
        if (result instanceof ParseResult.Parsed parsed) {
            return parsed.message();
        }
        throw new AssertionError("not a SIP message (" + result + "): " + text(bytes));
    }

    /** The message a text would be on the wire, parsed. */
    public static SipMessage parse(String text) {
        return parse(wire(text));
    }

    /** The response in {@code bytes}; a request there fails the test. */
    public static SipResponse response(byte[] bytes) {
        SipMessage message = parse(bytes);
        if (message instanceof SipResponse response) {
            return response;
        }
        throw new AssertionError("a request where a response was expected: " + text(bytes));
    }

    /** The bytes as text, for assertion messages and start-line checks. */
    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
