package org.switchboard.sip.sdp;

import java.util.Optional;

/** RFC 4566 §6 / RFC 3264 §5.1 media direction; sendrecv when nothing says otherwise. */
public enum Direction {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    static Optional<Direction> ofAttribute(String name) {
        return switch (name) {
            case "sendrecv" -> Optional.of(SENDRECV);
            case "sendonly" -> Optional.of(SENDONLY);
            case "recvonly" -> Optional.of(RECVONLY);
            case "inactive" -> Optional.of(INACTIVE);
            default -> Optional.empty();
        };
    }

    /** Whether this side puts a call on hold (RFC 3264 §8.4): it stops receiving. */
    public boolean isHold() {
        return this == SENDONLY || this == INACTIVE;
    }
}
