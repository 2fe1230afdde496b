package org.switchboard.registrar;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.switchboard.registrar.api.ContactBinding;

/** The state of one AOR: no account yet, or an account with its bindings. */
public sealed interface RegistrationState {
    RegistrationState apply(RegistrationEvent event);

    record Unprovisioned() implements RegistrationState {
        @Override
        public RegistrationState apply(RegistrationEvent event) {
            if (event instanceof RegistrationEvent.AccountProvisioned p) {
                return new Provisioned(p.account(), Map.of());
            }
            throw new IllegalStateException("binding event for an AOR without account: " + event);
        }
    }

    record Provisioned(Account account, Map<String, ContactBinding> bindings) implements RegistrationState {
        public Provisioned {
            bindings = Map.copyOf(bindings);
        }

        @Override
        public RegistrationState apply(RegistrationEvent event) {
            if (event instanceof RegistrationEvent.AccountProvisioned p) {
                return new Provisioned(p.account(), bindings);
            }
            Map<String, ContactBinding> next = new HashMap<>(bindings);
            if (event instanceof RegistrationEvent.BindingSaved s) {
                next.put(s.key(), s.binding());
            } else if (event instanceof RegistrationEvent.BindingRemoved r) {
                next.remove(r.key());
            }
            return new Provisioned(account, next);
        }

        /** Bindings still live at this time, highest q first (RFC 3261 §16.6 order). */
        public List<ContactBinding> liveBindings(long nowMillis) {
            return bindings.values().stream().filter(b -> b.liveAt(nowMillis))
                    .sorted(Comparator.comparingDouble(ContactBinding::q).reversed()
                            .thenComparing(ContactBinding::contact))
                    .toList();
        }
    }
}
