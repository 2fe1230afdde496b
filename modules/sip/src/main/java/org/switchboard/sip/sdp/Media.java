package org.switchboard.sip.sdp;

import java.util.List;

/**
 * One {@code m=} line as a proxy reads it: kind (audio, video, ...), port (0: stream refused or removed), transport
 * protocol (RTP/AVP, RTP/SAVP, ...), its codecs in offer order, its SDES keys ({@code a=crypto} values, RFC 4568)
 * and its direction (the media-level attribute, else the session-level one, else sendrecv).
 */
public record Media(String kind, int port, String protocol, List<Codec> codecs, List<String> cryptoLines,
                    Direction direction) {
    public Media {
        codecs = List.copyOf(codecs);
        cryptoLines = List.copyOf(cryptoLines);
    }

    /** Whether the stream is encrypted with SRTP keyed in the SDP (SAVP profile with at least one crypto line). */
    public boolean isSrtp() {
        return protocol.contains("SAVP") && !cryptoLines.isEmpty();
    }
}
