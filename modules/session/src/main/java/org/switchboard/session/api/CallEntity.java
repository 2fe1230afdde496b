package org.switchboard.session.api;

import akka.cluster.sharding.typed.javadsl.EntityTypeKey;

/** The sharding key of the Call entity; its entity id is the Call-ID. */
public final class CallEntity {
    public static final EntityTypeKey<CallCommand> KEY = EntityTypeKey.create(CallCommand.class, "Call");

    private CallEntity() {
    }
}
