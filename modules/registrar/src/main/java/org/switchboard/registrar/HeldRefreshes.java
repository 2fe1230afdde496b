package org.switchboard.registrar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.switchboard.registrar.api.ContactBinding;

/**
 * The refreshes a Registration keeps in memory instead of persisting them (the refresh rule,
 * {@link RegisterHandler#durableCoversDeviceUntilDue}), by binding key: each newer than the durable binding of its key,
 * with the device's cadence. One entity's, used from its thread only.
 */
final class HeldRefreshes {
    /** A refresh kept in memory, and how long the device took since its previous REGISTER (its cadence). */
    private record Held(ContactBinding binding, long intervalMillis) {
    }

    private final Map<String, Held> held = new HashMap<>();

    /** Keeps {@code refreshes} (by key), each measured against the binding of its key in {@code before}. */
    void hold(Map<String, ContactBinding> refreshes, Map<String, ContactBinding> before) {
        refreshes.forEach((key, b) -> held.put(key, new Held(b, b.updatedAtMillis() - before.get(key).updatedAtMillis())));
    }

    /** Forgets what these events replace: a binding written or removed, or every one when the account goes. */
    void forget(List<RegistrationEvent> events) {
        for (RegistrationEvent e : events) {
            if (e instanceof RegistrationEvent.BindingRemoved r) {
                held.remove(r.key());
            } else if (e instanceof RegistrationEvent.BindingSaved s) {
                held.remove(s.key());
            } else if (e instanceof RegistrationEvent.AccountDeleted) {
                held.clear();
            }
        }
    }

    /** The durable bindings with the newer held refreshes laid over them. */
    Map<String, ContactBinding> over(Map<String, ContactBinding> durable) {
        if (held.isEmpty()) {
            return durable;
        }
        Map<String, ContactBinding> out = new HashMap<>(durable);
        held.forEach((k, h) -> {
            if (out.containsKey(k)) {
                out.put(k, h.binding());
            }
        });
        return out;
    }

    /** The first end of the bindings as they stand, held refreshes included, without copying them. */
    long firstEnd(Map<String, ContactBinding> durable) {
        long next = Long.MAX_VALUE;
        for (Map.Entry<String, ContactBinding> e : durable.entrySet()) {
            Held h = held.get(e.getKey());
            next = Math.min(next, (h != null ? h.binding() : e.getValue()).expiresAtMillis());
        }
        return next;
    }

    /**
     * The entity stops: the held refreshes that must be written now — those whose durable binding would lapse before
     * the device is next due back — and none is held any more.
     */
    List<RegistrationEvent> releaseAtStop(Map<String, ContactBinding> durable, long nowMillis) {
        List<RegistrationEvent> events = new ArrayList<>();
        held.forEach((key, h) -> {
            ContactBinding written = durable.get(key);
            if (written != null && !RegisterHandler.durableCoversDeviceUntilDue(written, h.intervalMillis(), nowMillis)) {
                events.add(new RegistrationEvent.BindingSaved(key, h.binding()));
            }
        });
        held.clear();
        return events;
    }
}
