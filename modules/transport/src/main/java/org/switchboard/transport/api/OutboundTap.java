package org.switchboard.transport.api;

/**
 * Sees every message an entity hands this transport node's send path, before it is written: the node's activity
 * figures read the status line and CSeq of responses from it. Called on the send path's actor, one message at a
 * time, on the hot path: it must only look at the bytes, cheaply, and never block or keep them.
 */
@FunctionalInterface
public interface OutboundTap {
    void sending(byte[] message);

    OutboundTap NONE = message -> { };
}
