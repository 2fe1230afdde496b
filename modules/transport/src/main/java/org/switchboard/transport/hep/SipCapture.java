package org.switchboard.transport.hep;

import java.net.InetSocketAddress;

import org.switchboard.transport.api.SipTransport;

/**
 * Sees every SIP message a transport node receives (framed, before it is parsed) and every one it writes to the
 * network. Called on network threads, on the hot path: an implementation only hands the message on, never blocks.
 */
@FunctionalInterface
public interface SipCapture {
    /**
     * @param message     the message's bytes, not to be changed by anyone (a sent message's may be its only copy)
     * @param transport   the SIP transport it travelled on
     * @param source      who sent it: the peer for a received message, this node's socket for a sent one
     * @param destination who it went to
     */
    void capture(byte[] message, SipTransport transport, InetSocketAddress source, InetSocketAddress destination);
}
