package org.switchboard.registrar.api;

import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Envelope;

import java.util.List;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.ExtensionId;

/**
 * The Registration entities awake on this node, by AOR: the edge hands them REGISTERs directly, and the Call entities
 * their questions ({@link DirectCommand}).
 */
public final class AwakeRegistrations extends AwakeEntities<RegistrationCommand> {
    private AwakeRegistrations(ActorSystem<?> system) {
        super(system, RegistrationEntity.KEY, List.of(DirectRegister.class, DirectCommand.class));
    }

    public static AwakeRegistrations get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    /** Hands a REGISTER for {@code aor}, parsed by the edge, to its entity. */
    public void deliver(String aor, Envelope envelope, SipRequest request) {
        deliver(new DirectRegister(aor, envelope, request));
    }

    static final class Id extends ExtensionId<AwakeRegistrations> {
        static final Id INSTANCE = new Id();

        @Override
        public AwakeRegistrations createExtension(ActorSystem<?> system) {
            return new AwakeRegistrations(system);
        }
    }
}
