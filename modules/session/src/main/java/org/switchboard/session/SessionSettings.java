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
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.security.Cidr;
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

    /** URI parameter of our Record-Route carrying the cluster token. */
    public static final String ROUTE_TOKEN_PARAM = "sb";

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

    /**
     * The Record-Route value inserted (loose routing, RFC 3261 §16.6 step 4): the cluster's advertised address, or
     * the transport node the request came through when none is set. Its cluster token lets every node of the
     * cluster recognise the route as its own, even one recorded by a transport node that has since died.
     */
    public String recordRoute(Peer hop) {
        Peer at = address(hop);
        return "<sip:" + at.host() + ":" + at.port() + ";lr;" + ROUTE_TOKEN_PARAM + "=" + branches.clusterToken() + ">";
    }

    /** Our Via for a request sent through the transport node at {@code hop}. */
    public String via(String transport, String branch, Peer hop) {
        Peer at = address(hop);
        return "SIP/2.0/" + transport + " " + at.host() + ":" + at.port() + ";branch=" + branch;
    }

    /** The address peers reach us at: the advertised one, else the transport node's own. */
    private Peer address(Peer hop) {
        return advertisedHost.isEmpty() ? hop : new Peer(advertisedHost, advertisedPort);
    }

    /**
     * Whether a URI names this cluster (a Route or Request-URI pointing at us): it carries our cluster token, or
     * names the advertised address, this node's SIP address or the transport node it arrived through.
     */
    public boolean isUs(SipUri uri, Peer hop) {
        if (uri.params().get(ROUTE_TOKEN_PARAM).filter(branches.clusterToken()::equals).isPresent()) {
            return true;
        }
        int port = uri.port().orElse(5060);
        String host = uri.host();
        return (host.equalsIgnoreCase(advertisedHost) && port == advertisedPort)
                || (host.equalsIgnoreCase(bindHost) && port == bindPort)
                || (host.equalsIgnoreCase(hop.host()) && port == hop.port());
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
