package org.switchboard.registrar.api;

import java.util.List;

import org.switchboard.transport.api.ClusterSerializable;

/** The live bindings of an AOR, best q first; the status says why there are none. */
public record LookupResult(Status status, List<ContactBinding> bindings) implements ClusterSerializable {
    public enum Status {
        /** No account: 404 for a caller. */
        UNKNOWN,
        /** An account with no live binding: 480 for a caller. */
        NOT_REGISTERED,
        REGISTERED
    }

    public LookupResult {
        bindings = List.copyOf(bindings);
    }
}
