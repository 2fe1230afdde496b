package org.switchboard.sip;

/** The outcome of parsing: a message, or the reason it is malformed. Never an exception. */
public sealed interface ParseResult {
    record Parsed(SipMessage message) implements ParseResult {
    }

    record Malformed(ParseError error) implements ParseResult {
    }
}
