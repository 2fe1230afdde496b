package org.switchboard.sip.sdp;

/**
 * One payload type of a media line: its number and, from {@code a=rtpmap} or the RFC 3551 static table, its
 * encoding name and clock rate ("" and 0 when neither names it).
 */
public record Codec(int payloadType, String name, int clockRate) {
}
