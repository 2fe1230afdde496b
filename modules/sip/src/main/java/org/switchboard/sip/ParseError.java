package org.switchboard.sip;

/** Why a message could not be parsed: the byte offset and what was expected there. */
public record ParseError(int offset, String expected) {
    /** A reason phrase for a 400 response: what was wrong and where. */
    public String reason() {
        return expected + " at byte " + offset;
    }
}
