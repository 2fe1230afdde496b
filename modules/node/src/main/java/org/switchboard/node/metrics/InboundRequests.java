package org.switchboard.node.metrics;

import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.SipTransport;

/** Sees each request the edge routes into the cluster, on the network thread that received it: must be cheap. */
@FunctionalInterface
public interface InboundRequests {
    void received(SipRequest request, SipTransport transport);

    InboundRequests NONE = (request, transport) -> { };
}
