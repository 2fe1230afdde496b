package org.switchboard.registrar.api;

import java.util.List;
import java.util.Optional;

import org.switchboard.transport.api.ClusterSerializable;

/**
 * What an operator may see of one AOR's account, for the admin API: its credentials' digests (exported, never
 * shown), state, rules and every binding, live or lapsed but not yet removed.
 */
public record AccountView(Optional<Details> account, List<ContactBinding> bindings) implements ClusterSerializable {
    /** @param ha1Sha256 empty when the account was provisioned with an MD5 digest only */
    public record Details(String username, String realm, String ha1Md5, String ha1Sha256, boolean enabled,
                          ForwardingRules forwarding, CallLimits limits) implements ClusterSerializable {
    }

    public AccountView {
        bindings = List.copyOf(bindings);
    }

    public static AccountView none() {
        return new AccountView(Optional.empty(), List.of());
    }
}
