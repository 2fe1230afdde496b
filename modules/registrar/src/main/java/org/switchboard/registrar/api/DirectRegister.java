package org.switchboard.registrar.api;

import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Envelope;

/**
 * A REGISTER handed by this node's edge straight to the Registration entity awake on this node ({@link
 * AwakeRegistrations}), not through sharding, with the edge's parse of it ({@code request}: the envelope's bytes),
 * so the entity does not parse it again. Never sent to another node: it is not meant to be serialized.
 */
public record DirectRegister(String aor, Envelope envelope, SipRequest request)
        implements RegistrationCommand, DirectDelivery<RegistrationCommand> {
    @Override
    public String entityId() {
        return aor;
    }

    @Override
    public RegistrationCommand direct() {
        return this;
    }

    @Override
    public RegistrationCommand viaSharding() {
        return new HandleRegister(envelope);
    }
}
