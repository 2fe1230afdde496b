package org.switchboard.node.metrics;

import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.SipTransport;

/**
 * Sees each request the edge routes into the cluster, on the network thread that received it: must be cheap. A
 * retransmission is seen again (it reached the node again), and so is an INVITE a leaving core node hands back to
 * be routed anew (Redeliver), which is rare enough not to be told apart.
 */
@FunctionalInterface
public interface InboundRequests {
    void received(SipRequest request, SipTransport transport);

    InboundRequests NONE = (request, transport) -> { };
}
