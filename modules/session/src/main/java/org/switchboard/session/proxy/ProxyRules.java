package org.switchboard.session.proxy;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.switchboard.registrar.api.GruuTarget;
import org.switchboard.registrar.api.Gruus;
import org.switchboard.sip.Branches;
import org.switchboard.sip.SipUri;

/**
 * What the proxy core of one Call-ID needs of the node's configuration.
 *
 * @param domains             the domains whose users are ours (none: every domain is)
 * @param authenticateCallers whether callers of our domains must prove who they are (407)
 * @param routes              domain (or "*") to the URI of the next hop for calls that leave our domains
 * @param inviteTimeout       how long forks may ring before they are cancelled (RFC 3261 Timer C)
 * @param branches            derives the keyed branch of each fork from the Call-ID
 */
public record ProxyRules(String callId, Set<String> domains, boolean authenticateCallers, Map<String, String> routes,
                         boolean followRedirects, int maxRedirects, Duration inviteTimeout, Branches branches) {
    public ProxyRules {
        domains = Set.copyOf(domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList());
        routes = Map.copyOf(routes);
    }

    /** Users of this domain are looked up in the registrar. */
    boolean serves(String host) {
        return domains.isEmpty() || domains.contains(host.toLowerCase(Locale.ROOT));
    }

    /** A caller of one of our configured domains: one of our subscribers, who can prove it. */
    boolean ours(SipUri caller) {
        return caller.isSip() && domains.contains(caller.host().toLowerCase(Locale.ROOT));
    }

    /**
     * The device a Request-URI with a {@code gr} parameter names (RFC 5627): a public GRUU, or a temporary one
     * this cluster issued (its token verifies under the cluster secret); empty for anything else.
     */
    Optional<GruuTarget> gruu(SipUri uri) {
        return new Gruus(branches.keyFor(Gruus.KEY_PURPOSE)).resolve(uri);
    }

    Optional<String> routeFor(String host) {
        return Optional.ofNullable(routes.get(host.toLowerCase(Locale.ROOT))).or(() -> Optional.ofNullable(routes.get("*")));
    }

    BranchId branchFor(InviteKey key, String target, int n) {
        return branchFor(key.toString(), target, n);
    }

    BranchId branchFor(String transaction, String target, int n) {
        return new BranchId(branches.derive(callId, transaction + "|" + target + "|" + n));
    }
}
