package org.switchboard.registrar;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.switchboard.registrar.api.CallLimits;
import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.transport.api.ClusterSerializable;

/** The state of one AOR: no account (never, or deleted), or an account with its bindings and forwarding rules. */
public sealed interface RegistrationState extends ClusterSerializable {
    RegistrationState apply(RegistrationEvent event);

    record Unprovisioned() implements RegistrationState {
        @Override
        public RegistrationState apply(RegistrationEvent event) {
            if (event instanceof RegistrationEvent.AccountProvisioned p) {
                return new Provisioned(p.account(), Map.of(), ForwardingRules.NONE, CallLimits.DEFAULTS, Map.of());
            }
            return this; // nothing else can happen to an AOR without account
        }
    }

    /**
     * @param callLimits  the account's own call limits (empty ones: the cluster's)
     * @param activeCalls the calls going when the entity last passivated (Call-ID to admission time); the awake
     *                    entity keeps the live set in memory
     */
    record Provisioned(Account account, Map<String, ContactBinding> bindings, ForwardingRules forwarding,
                       CallLimits callLimits, Map<String, Long> activeCalls)
            implements RegistrationState {
        public Provisioned {
            bindings = Map.copyOf(bindings);
            // snapshots taken before these fields existed carry none
            callLimits = callLimits == null ? CallLimits.DEFAULTS : callLimits;
            activeCalls = activeCalls == null ? Map.of() : Map.copyOf(activeCalls);
        }

        @Override
        public RegistrationState apply(RegistrationEvent event) {
            if (event instanceof RegistrationEvent.AccountProvisioned p) {
                return new Provisioned(p.account(), bindings, forwarding, callLimits, activeCalls);
            }
            if (event instanceof RegistrationEvent.AccountEnabledChanged e) {
                return new Provisioned(account.withEnabled(e.enabled()), bindings, forwarding, callLimits, activeCalls);
            }
            if (event instanceof RegistrationEvent.AccountDeleted) {
                return new Unprovisioned();
            }
            if (event instanceof RegistrationEvent.ForwardingSet f) {
                return new Provisioned(account, bindings, f.rules(), callLimits, activeCalls);
            }
            if (event instanceof RegistrationEvent.CallLimitsSet l) {
                return new Provisioned(account, bindings, forwarding, l.limits(), activeCalls);
            }
            if (event instanceof RegistrationEvent.ActiveCallsKept k) {
                return new Provisioned(account, bindings, forwarding, callLimits, k.calls());
            }
            Map<String, ContactBinding> next = new HashMap<>(bindings);
            if (event instanceof RegistrationEvent.BindingSaved s) {
                next.put(s.key(), s.binding());
            } else if (event instanceof RegistrationEvent.BindingRemoved r) {
                next.remove(r.key());
            }
            return new Provisioned(account, next, forwarding, callLimits, activeCalls);
        }

        /** Bindings still live at this time, highest q first (RFC 3261 §16.6 order), newest first among equals. */
        public List<ContactBinding> liveBindings(long nowMillis) {
            return ordered(bindings.values().stream().filter(b -> b.liveAt(nowMillis)).toList());
        }

        static List<ContactBinding> ordered(List<ContactBinding> bindings) {
            return bindings.stream()
                    .sorted(Comparator.comparingDouble(ContactBinding::q).reversed()
                            .thenComparing(Comparator.comparingLong(ContactBinding::updatedAtMillis).reversed())
                            .thenComparing(ContactBinding::contact))
                    .toList();
        }
    }
}
