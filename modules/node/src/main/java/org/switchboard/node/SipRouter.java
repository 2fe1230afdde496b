package org.switchboard.node;

import org.switchboard.registrar.api.HandleRegister;
import org.switchboard.registrar.api.RegistrationEntity;
import org.switchboard.session.api.CallEntity;
import org.switchboard.session.api.HandleSip;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.InboundRouter;

import akka.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * docs/architecture.md, "The path of a message" step 2: REGISTER to the Registration of the To AOR, everything else
 * to the Call of its Call-ID.
 */
final class SipRouter implements InboundRouter {
    private final ClusterSharding sharding;

    SipRouter(ClusterSharding sharding) {
        this.sharding = sharding;
    }

    @Override
    public void route(Envelope envelope, SipMessage message) {
        if (message instanceof SipRequest request && request.method().equals("REGISTER")) {
            String aor = request.to().uri().addressOfRecord();
            sharding.entityRefFor(RegistrationEntity.KEY, aor).tell(new HandleRegister(envelope));
        } else {
            sharding.entityRefFor(CallEntity.KEY, message.callId()).tell(new HandleSip(envelope));
        }
    }
}
