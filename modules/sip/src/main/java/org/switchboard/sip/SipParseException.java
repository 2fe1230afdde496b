package org.switchboard.sip;

/** A grammar violation inside a header value, raised by the typed accessors. Carries a {@link ParseError}. */
public final class SipParseException extends RuntimeException {
    private final transient ParseError error;

    public SipParseException(int offset, String expected) {
        super(expected + " at " + offset);
        this.error = new ParseError(offset, expected);
    }

    public ParseError error() {
        return error;
    }
}
