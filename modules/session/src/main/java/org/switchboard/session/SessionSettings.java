package org.switchboard.session;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.switchboard.sip.Branches;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipUri;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.security.Cidr;
import org.switchboard.transport.api.TransportLocator;
import org.switchboard.transport.overload.Overload;

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
 * @param overload       whether the node sheds new calls (503) while it is overloaded
 */
public record SessionSettings(String advertisedHost, int advertisedPort, String bindHost, int bindPort,
                              Branches branches, Duration lookupTimeout, Clock clock, Set<String> domains,
                              boolean authenticateCallers, List<Cidr> trustedPeers, Map<String, String> routes,
                              boolean followRedirects, int maxRedirects, int minSessionExpires, Duration t1,
                              Duration inviteTimeout, TransportLocator transports, Overload overload) {

    /** URI parameter of our Record-Route carrying the dialog token. */
    public static final String ROUTE_TOKEN_PARAM = "sb";

    public SessionSettings {
        domains = Set.copyOf(domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList());
        trustedPeers = List.copyOf(trustedPeers);
        routes = Map.copyOf(routes);
    }

    /** The settings of a node serving every domain it is asked about, authenticating nobody (tests, single node). */
    public static SessionSettings open(String host, int port, Branches branches, Clock clock) {
        return new SessionSettings(host, port, host, port, branches, Duration.ofSeconds(3), clock, Set.of(), false,
                List.of(), Map.of(), false, 3, 90, Duration.ofMillis(500), Duration.ofSeconds(180), TransportLocator.NONE,
                Overload.NEVER);
    }

    /**
     * The Record-Route value inserted (loose routing, RFC 3261 §16.6 step 4): the cluster's advertised address, or
     * the transport node the request came through when none is set. Its token, a MAC of the Call-ID and the
     * caller's From tag, lets every node of the cluster route the dialog's requests, even after the call's state
     * is gone or the transport node that recorded it has died, and is worth nothing for any other call.
     */
    public String recordRoute(Peer hop, String callId, String callerTag) {
        Peer at = address(hop);
        return "<sip:" + at.host() + ":" + at.port() + ";lr;" + ROUTE_TOKEN_PARAM + "="
                + branches.dialogToken(callId, callerTag) + ">";
    }

    /**
     * The Record-Route values to prepend, in order, for a request that came in over {@code from} and leaves over
     * {@code to}. When exactly one side is a WebSocket, two (RFC 5658 double Record-Route, as in RFC 7118's
     * examples): the caller's side first, then the callee's on top, the WebSocket one carrying {@code transport=ws}
     * and naming no port (a WebSocket client sends everything on its connection), the other our SIP address as
     * usual. Each carries the dialog token, so each is recognised as ours.
     */
    public List<String> recordRoutes(Peer hop, String callId, String callerTag, SipTransport from, SipTransport to) {
        String sip = recordRoute(hop, callId, callerTag);
        if (from.isWebSocket() == to.isWebSocket()) {
            return List.of(sip);
        }
        String ws = "<sip:" + address(hop).host() + ";transport=ws;lr;" + ROUTE_TOKEN_PARAM + "="
                + branches.dialogToken(callId, callerTag) + ">";
        return from.isWebSocket() ? List.of(ws, sip) : List.of(sip, ws);
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
     * Whether a URI in {@code request} (a Route or its Request-URI) names this cluster: it carries a dialog token
     * of this request's call (see {@link #vouchesFor}), or names the advertised address, this node's SIP address or
     * the transport node it arrived through.
     */
    public boolean isUs(SipUri uri, Peer hop, SipRequest request) {
        return vouchesFor(uri, request) || namesUs(uri, hop);
    }

    /** Whether the URI names one of our addresses: advertised, bound, or the transport node at {@code hop}. */
    public boolean namesUs(SipUri uri, Peer hop) {
        int port = uri.port().orElse(5060);
        String host = uri.host();
        return (host.equalsIgnoreCase(advertisedHost) && port == advertisedPort)
                || (host.equalsIgnoreCase(bindHost) && port == bindPort)
                || (host.equalsIgnoreCase(hop.host()) && port == hop.port());
    }

    /**
     * Whether {@code uri} carries the token of our Record-Route for the dialog {@code request} belongs to: the
     * caller's tag is the request's From tag (a request of the caller) or its To tag (one of the callee).
     */
    public boolean vouchesFor(SipUri uri, SipRequest request) {
        Optional<String> token = uri.params().get(ROUTE_TOKEN_PARAM);
        if (token.isEmpty()) {
            return false;
        }
        String callId = request.callId();
        return branches.isDialogToken(token.get(), callId, request.from().tag().orElse(""))
                || request.to().tag().filter(tag -> branches.isDialogToken(token.get(), callId, tag)).isPresent();
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
