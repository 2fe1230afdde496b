package org.switchboard.sip;

/**
 * One header line of a parsed message, as offsets into the message's bytes.
 *
 * @param name       the header's name, whatever spelling the line used (compact, any case)
 * @param lineStart  offset of the first byte of the header name
 * @param valueStart offset of the first byte of the value (after the colon and leading white space)
 * @param lineEnd    offset just past the value, before the terminating CRLF
 * @param nextLine   offset of the next line (past the CRLF)
 */
public record HeaderField(HeaderName name, int lineStart, int valueStart, int lineEnd, int nextLine) {
}
