package org.switchboard.transport.api;

import org.switchboard.sip.SipMessage;

/**
 * Where the edge hands a message it has accepted. The node provides it (REGISTER to the registrar, everything
 * else to the call entity), so the transport never depends on the entity modules. Called on network threads:
 * implementations must only enqueue.
 */
@FunctionalInterface
public interface InboundRouter {
    void route(Envelope envelope, SipMessage message);
}
