package org.switchboard.registrar;

import java.util.Map;

import org.switchboard.registrar.api.CallLimits;
import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.transport.api.ClusterSerializable;

/** What a Registration entity persists. Everything needed to rebuild it is in the events themselves. */
public sealed interface RegistrationEvent extends ClusterSerializable {
    /** The account was created, or its credentials changed (bindings are kept). */
    record AccountProvisioned(Account account) implements RegistrationEvent {
    }

    record AccountEnabledChanged(boolean enabled) implements RegistrationEvent {
    }

    /** The account and every binding are gone. */
    record AccountDeleted(long atMillis) implements RegistrationEvent {
    }

    record ForwardingSet(ForwardingRules rules) implements RegistrationEvent {
    }

    record CallLimitsSet(CallLimits limits) implements RegistrationEvent {
    }

    /**
     * The calls the account had going (Call-ID to admission time) when the entity passivated: a new incarnation
     * counts them against the concurrent-call limit until they are reported finished.
     */
    record ActiveCallsKept(Map<String, Long> calls) implements RegistrationEvent {
        public ActiveCallsKept {
            calls = Map.copyOf(calls);
        }
    }

    /** A binding added or changed; its key is the instance-id/reg-id when present, else the contact URI. */
    record BindingSaved(String key, ContactBinding binding) implements RegistrationEvent {
    }

    record BindingRemoved(String key, String reason) implements RegistrationEvent {
    }
}
