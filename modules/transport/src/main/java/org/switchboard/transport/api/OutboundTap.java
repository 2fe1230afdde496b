package org.switchboard.transport.api;

/**
 * Sees every message an entity hands this transport node's send path, before it is written: the node's activity
 * figures read the status line and CSeq of responses from it. Called from many threads at once (the send path's
 * actor, and entities writing through {@link SendPaths}), on the hot path: it must be thread-safe, only look at the
 * bytes, cheaply, and never block or keep them.
 */
@FunctionalInterface
public interface OutboundTap {
    void sending(byte[] message);

    OutboundTap NONE = message -> { };
}
