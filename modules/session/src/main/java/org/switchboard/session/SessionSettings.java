package org.switchboard.session;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.switchboard.sip.Branches;
import org.switchboard.sip.SipUri;
import org.switchboard.transport.api.TransportLocator;

/**
 * What the call logic needs to know: the node's own address (for Via, Record-Route and recognising Routes that
 * name it), the branch generator, the domains it serves, who must authenticate, static routes to other domains,
 * and its timers. From {@code switchboard.proxy} and {@code switchboard.session} (documented in reference.conf).
 *
 * @param domains        domains whose users are looked up in the registrar (configured plus those of accounts)
 * @param routes         next hop (a SIP URI) for requests to other domains, by domain; {@code *} for any
 * @param t1             RFC 3261 T1: first retransmission interval of a request over UDP
 * @param inviteTimeout  how long a forked INVITE may ring before the proxy cancels it (RFC 3261 Timer C)
 * @param transports     a send path for requests the proxy originates (session-timer BYEs)
 */
public record SessionSettings(String advertisedHost, int advertisedPort, String bindHost, int bindPort,
                              Branches branches, Duration lookupTimeout, Clock clock, Set<String> domains,
                              boolean authenticateCallers, List<Cidr> trustedPeers, Map<String, String> routes,
                              boolean followRedirects, int maxRedirects, int minSessionExpires, Duration t1,
                              Duration inviteTimeout, TransportLocator transports) {

    public SessionSettings {
        domains = Set.copyOf(domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList());
        trustedPeers = List.copyOf(trustedPeers);
        routes = Map.copyOf(routes);
    }

    /** The settings of a node serving every domain it is asked about, authenticating nobody (tests, single node). */
    public static SessionSettings open(String host, int port, Branches branches, Clock clock) {
        return new SessionSettings(host, port, host, port, branches, Duration.ofSeconds(3), clock, Set.of(), false,
                List.of(), Map.of(), false, 3, 90, Duration.ofMillis(500), Duration.ofSeconds(180), TransportLocator.NONE);
    }

    /** The Record-Route value this node inserts (loose routing, RFC 3261 §16.6 step 4). */
    public String recordRoute() {
        return "<sip:" + advertisedHost + ":" + advertisedPort + ";lr>";
    }

    public String via(String transport, String branch) {
        return "SIP/2.0/" + transport + " " + advertisedHost + ":" + advertisedPort + ";branch=" + branch;
    }

    /** Whether a URI names this node (a Route or Request-URI pointing at us). */
    public boolean isUs(SipUri uri) {
        int port = uri.port().orElse(5060);
        boolean host = uri.host().equalsIgnoreCase(advertisedHost) || uri.host().equalsIgnoreCase(bindHost);
        return host && (port == advertisedPort || port == bindPort);
    }

    /** Whether users of this domain are ours (looked up in the registrar). No domains configured: all are. */
    public boolean serves(String host) {
        return domains.isEmpty() || domains.contains(host.toLowerCase(Locale.ROOT));
    }

    public boolean trusted(String ip) {
        return trustedPeers.stream().anyMatch(c -> c.contains(ip));
    }

    public Optional<String> routeFor(String host) {
        return Optional.ofNullable(routes.get(host.toLowerCase(Locale.ROOT))).or(() -> Optional.ofNullable(routes.get("*")));
    }
}
