package org.switchboard.registrar.api;

import java.util.List;

import org.switchboard.transport.api.ClusterSerializable;

/** The live bindings of an AOR, best q first, and its forwarding rules; the status says why there are none. */
public record LookupResult(Status status, List<ContactBinding> bindings, ForwardingRules forwarding)
        implements ClusterSerializable {
    public enum Status {
        /** No account (or a deleted one): 404 for a caller. */
        UNKNOWN,
        /** An account that may not receive calls now: 480 for a caller, like an unregistered one, unless forwarded. */
        DISABLED,
        /** An account with no live binding: 480 for a caller, unless forwarded. */
        NOT_REGISTERED,
        REGISTERED
    }

    public LookupResult {
        bindings = List.copyOf(bindings);
    }

    public static LookupResult unknown() {
        return new LookupResult(Status.UNKNOWN, List.of(), ForwardingRules.NONE);
    }
}
