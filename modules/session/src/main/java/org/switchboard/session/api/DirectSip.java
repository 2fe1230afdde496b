package org.switchboard.session.api;

import org.switchboard.registrar.api.DirectDelivery;
import org.switchboard.sip.SipMessage;
import org.switchboard.transport.api.Envelope;

/**
 * A message of a Call-ID handed by this node's edge straight to the Call entity awake on this node ({@link
 * AwakeCalls}), not through sharding, with the edge's parse of it ({@code message}: the envelope's bytes, already
 * Via-fixed; the edge no longer touches it), so the entity does not parse it again. Never sent to another node: it
 * is not meant to be serialized.
 */
public record DirectSip(String callId, Envelope envelope, SipMessage message)
        implements CallCommand, DirectDelivery<CallCommand> {
    @Override
    public String entityId() {
        return callId;
    }

    @Override
    public CallCommand direct() {
        return this;
    }

    @Override
    public CallCommand viaSharding() {
        return new HandleSip(envelope);
    }
}
