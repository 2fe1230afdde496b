package org.switchboard.registrar.api;

import org.switchboard.transport.api.ClusterSerializable;

/** What a Registration entity (one per address-of-record) accepts from outside. */
public interface RegistrationCommand extends ClusterSerializable {
}
