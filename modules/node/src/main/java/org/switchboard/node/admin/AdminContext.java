package org.switchboard.node.admin;

import java.util.Optional;

import akka.actor.AbstractExtensionId;
import akka.actor.ActorSystem;
import akka.actor.ExtendedActorSystem;
import akka.actor.Extension;

/**
 * The admin API of this actor system once the node has started its entities (an Akka extension, so the routes that
 * Akka Management creates by reflection, before sharding runs, find it). Written once at start, read per request.
 */
public final class AdminContext implements Extension {
    private static final Id ID = new Id();
    private volatile Optional<Ready> ready = Optional.empty();

    /**
     * The API and what admits a request: the token, or (when the management port asks for client certificates) a
     * certificate the TLS handshake accepted.
     */
    record Ready(AdminApi api, AdminToken token, boolean clientCertificatesAdmit) {
    }

    public static AdminContext get(ActorSystem system) {
        return ID.get(system);
    }

    public void start(AdminApi api, AdminToken token, boolean clientCertificatesAdmit) {
        ready = Optional.of(new Ready(api, token, clientCertificatesAdmit));
    }

    Optional<Ready> ready() {
        return ready;
    }

    private static final class Id extends AbstractExtensionId<AdminContext> {
        @Override
        public AdminContext createExtension(ExtendedActorSystem system) {
            return new AdminContext();
        }
    }
}
