package org.switchboard.registrar.api;

import akka.cluster.sharding.typed.javadsl.EntityTypeKey;

/** The sharding key of the Registration entity; its entity id is the normalised address-of-record. */
public final class RegistrationEntity {
    public static final EntityTypeKey<RegistrationCommand> KEY =
            EntityTypeKey.create(RegistrationCommand.class, "Registration");

    private RegistrationEntity() {
    }
}
