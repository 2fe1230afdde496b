package org.switchboard.node;

import akka.actor.AbstractExtensionId;
import akka.actor.ActorSystem;
import akka.actor.ExtendedActorSystem;
import akka.actor.Extension;

/**
 * Whether this node serves, per actor system (an Akka extension, so the readiness check that Akka Management
 * creates by reflection finds the same flag the node sets). A volatile flag: written once at start and once at
 * shutdown, read by health probes.
 */
public final class ServingState implements Extension {
    private static final Id ID = new Id();
    private volatile boolean serving;

    public static ServingState get(ActorSystem system) {
        return ID.get(system);
    }

    public boolean serving() {
        return serving;
    }

    void set(boolean value) {
        serving = value;
    }

    private static final class Id extends AbstractExtensionId<ServingState> {
        @Override
        public ServingState createExtension(ExtendedActorSystem system) {
            return new ServingState();
        }
    }
}
