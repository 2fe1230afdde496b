package org.switchboard.registrar;

import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.transport.api.ClusterSerializable;

/** What a Registration entity persists. Everything needed to rebuild it is in the events themselves. */
public sealed interface RegistrationEvent extends ClusterSerializable {
    record AccountProvisioned(Account account) implements RegistrationEvent {
    }

    /** A binding added or refreshed (the contact URI is its identity, or the instance-id when present). */
    record BindingSaved(String key, ContactBinding binding) implements RegistrationEvent {
    }

    record BindingRemoved(String key, String reason) implements RegistrationEvent {
    }
}
