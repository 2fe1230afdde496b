package org.switchboard.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.session.proxy.ForkTarget;

/** The registered devices of a callee as the proxy core forks to them. */
final class Targets {
    private Targets() {
    }

    /** The registered contacts one group each, in the registrar's order: tried one after the other. */
    static List<List<ForkTarget>> oneByOne(List<ContactBinding> bindings, Optional<String> diversion) {
        return bindings.stream().map(b -> List.of(target(b, diversion))).toList();
    }

    private static ForkTarget target(ContactBinding b, Optional<String> diversion) {
        return new ForkTarget(b.contact(), Optional.of(Reachability.ofBinding(b)), Optional.empty(), diversion,
                Reachability.routesOf(b));
    }

    /**
     * The registered contacts as groups of equal q, highest first as the registrar lists them (RFC 3261 §16.6),
     * each reached as it registered (see {@link Reachability}).
     */
    static List<List<ForkTarget>> byQ(List<ContactBinding> bindings, Optional<String> diversion) {
        List<List<ForkTarget>> groups = new ArrayList<>();
        double q = Double.NaN;
        for (ContactBinding b : bindings) {
            if (groups.isEmpty() || b.q() != q) {
                groups.add(new ArrayList<>());
                q = b.q();
            }
            groups.get(groups.size() - 1).add(target(b, diversion));
        }
        return groups;
    }
}
