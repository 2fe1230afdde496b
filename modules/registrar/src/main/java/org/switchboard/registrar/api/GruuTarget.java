package org.switchboard.registrar.api;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.switchboard.transport.api.ClusterSerializable;

/**
 * The device a GRUU (RFC 5627) names: an AOR and one UA instance of it. A temp-gruu also names the registration it
 * was issued in (a digest of that REGISTER's Call-ID), because it stops being valid when the instance registers
 * again with another Call-ID (RFC 5627 §5.1).
 *
 * @param aor          the address-of-record, as sharded
 * @param instance     the instance id, as in {@code gr} ({@code urn:uuid:...}): no quotes, no angle brackets
 * @param registration for a temp-gruu, {@link Gruus#registrationOf} of the Call-ID it was issued under
 */
public record GruuTarget(String aor, String instance, Optional<String> registration) implements ClusterSerializable {

    public GruuTarget {
        registration = registration == null ? Optional.empty() : registration;
    }

    /**
     * The live bindings this GRUU reaches, in the registrar's order: those of its instance only, never the other
     * devices of the AOR (RFC 5627 §6.1), and for a temp-gruu only while the instance's registration is the one
     * it was issued in.
     */
    public List<ContactBinding> reaches(List<ContactBinding> bindings) {
        if (revokedBy(bindings)) {
            return List.of();
        }
        return bindings.stream().filter(this::ofInstance).toList();
    }

    /**
     * Whether this temp-gruu was issued in a registration its instance has since replaced by one with another
     * Call-ID: such a GRUU is invalid (404), not merely unreachable (480).
     */
    public boolean revokedBy(List<ContactBinding> bindings) {
        if (registration.isEmpty()) {
            return false;
        }
        List<ContactBinding> mine = bindings.stream().filter(this::ofInstance).toList();
        return !mine.isEmpty() && mine.stream().noneMatch(b -> registration.get().equals(Gruus.registrationOf(b.callId())));
    }

    private boolean ofInstance(ContactBinding b) {
        // instance ids are URNs, by far urn:uuid: whose hex digits compare without case (RFC 4122 §3)
        return b.instanceId().map(Gruus::instanceOf).map(i -> i.toLowerCase(Locale.ROOT))
                .filter(i -> i.equals(instance.toLowerCase(Locale.ROOT))).isPresent();
    }
}
