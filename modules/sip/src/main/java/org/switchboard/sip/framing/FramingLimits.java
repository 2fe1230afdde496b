package org.switchboard.sip.framing;

/** Bounds on one message read from a stream: beyond them the sender is refused, never buffered without end. */
public record FramingLimits(int maxHeaderBytes, int maxBodyBytes) {
    public static final FramingLimits DEFAULT = new FramingLimits(16 * 1024, 48 * 1024);
}
