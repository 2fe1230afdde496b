package org.switchboard.session.api;

import org.switchboard.registrar.api.AwakeEntities;
import org.switchboard.sip.SipMessage;
import org.switchboard.transport.api.Envelope;

import java.util.List;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.ExtensionId;

/** The Call entities awake on this node, by Call-ID: the edge hands them their calls' messages directly. */
public final class AwakeCalls extends AwakeEntities<CallCommand> {
    private AwakeCalls(ActorSystem<?> system) {
        super(system, CallEntity.KEY, List.of(DirectSip.class));
    }

    public static AwakeCalls get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    /**
     * Hands the message of {@code callId} to its entity, with {@code message} (the envelope's bytes as the edge
     * parsed them).
     */
    public void deliver(String callId, Envelope envelope, SipMessage message) {
        deliver(new DirectSip(callId, envelope, message));
    }

    static final class Id extends ExtensionId<AwakeCalls> {
        static final Id INSTANCE = new Id();

        @Override
        public AwakeCalls createExtension(ActorSystem<?> system) {
            return new AwakeCalls(system);
        }
    }
}
