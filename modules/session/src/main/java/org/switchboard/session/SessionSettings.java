package org.switchboard.session;

import org.switchboard.session.proxy.ProxyRules;

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
 * @param tlsPort        the SIP-over-TLS port of the transport nodes (0: none); Via and Record-Route facing a TLS
 *                       side name it (every transport node of a cluster without an advertised host is expected to
 *                       use the same ports)
 * @param mediaEncryption whether INVITEs over TLS must offer SRTP ({@link MediaEncryptionPolicy})
 * @param maxCallDuration how long an answered call may last before the proxy ends it with a BYE to both sides
 *                        ({@link CallDeadline}); zero: no limit
 * @param topologyHiding  whether forks to configured routes hide the caller's side and our own (TopologyHiding)
 */
public record SessionSettings(String advertisedHost, int advertisedPort, String bindHost, int bindPort,
                              Branches branches, Duration lookupTimeout, Clock clock, Set<String> domains,
                              boolean authenticateCallers, List<Cidr> trustedPeers, Map<String, String> routes,
                              boolean followRedirects, int maxRedirects, int minSessionExpires, Duration t1,
                              Duration inviteTimeout, TransportLocator transports, Overload overload,
                              int tlsPort, MediaEncryptionPolicy.Mode mediaEncryption, Duration maxCallDuration,
                              boolean topologyHiding) {

    /** The default of {@code switchboard.session.max-call-duration}. */
    public static final Duration DEFAULT_MAX_CALL_DURATION = Duration.ofHours(12);

    /** URI parameter of our Record-Route carrying the dialog token. */
    public static final String ROUTE_TOKEN_PARAM = "sb";

    public SessionSettings {
        domains = Set.copyOf(domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList());
        trustedPeers = List.copyOf(trustedPeers);
        routes = Map.copyOf(routes);
        if (maxCallDuration.isNegative()) {
            throw new IllegalArgumentException("max-call-duration must not be negative: " + maxCallDuration);
        }
    }

    /** Settings without topology hiding. */
    public SessionSettings(String advertisedHost, int advertisedPort, String bindHost, int bindPort,
                           Branches branches, Duration lookupTimeout, Clock clock, Set<String> domains,
                           boolean authenticateCallers, List<Cidr> trustedPeers, Map<String, String> routes,
                           boolean followRedirects, int maxRedirects, int minSessionExpires, Duration t1,
                           Duration inviteTimeout, TransportLocator transports, Overload overload,
                           int tlsPort, MediaEncryptionPolicy.Mode mediaEncryption, Duration maxCallDuration) {
        this(advertisedHost, advertisedPort, bindHost, bindPort, branches, lookupTimeout, clock, domains,
                authenticateCallers, trustedPeers, routes, followRedirects, maxRedirects, minSessionExpires, t1,
                inviteTimeout, transports, overload, tlsPort, mediaEncryption, maxCallDuration, false);
    }

    /** Settings with the default maximum call duration. */
    public SessionSettings(String advertisedHost, int advertisedPort, String bindHost, int bindPort,
                           Branches branches, Duration lookupTimeout, Clock clock, Set<String> domains,
                           boolean authenticateCallers, List<Cidr> trustedPeers, Map<String, String> routes,
                           boolean followRedirects, int maxRedirects, int minSessionExpires, Duration t1,
                           Duration inviteTimeout, TransportLocator transports, Overload overload,
                           int tlsPort, MediaEncryptionPolicy.Mode mediaEncryption) {
        this(advertisedHost, advertisedPort, bindHost, bindPort, branches, lookupTimeout, clock, domains,
                authenticateCallers, trustedPeers, routes, followRedirects, maxRedirects, minSessionExpires, t1,
                inviteTimeout, transports, overload, tlsPort, mediaEncryption, DEFAULT_MAX_CALL_DURATION);
    }

    /** Settings without TLS: no TLS port, no media policy. */
    public SessionSettings(String advertisedHost, int advertisedPort, String bindHost, int bindPort,
                           Branches branches, Duration lookupTimeout, Clock clock, Set<String> domains,
                           boolean authenticateCallers, List<Cidr> trustedPeers, Map<String, String> routes,
                           boolean followRedirects, int maxRedirects, int minSessionExpires, Duration t1,
                           Duration inviteTimeout, TransportLocator transports, Overload overload) {
        this(advertisedHost, advertisedPort, bindHost, bindPort, branches, lookupTimeout, clock, domains,
                authenticateCallers, trustedPeers, routes, followRedirects, maxRedirects, minSessionExpires, t1,
                inviteTimeout, transports, overload, 0, MediaEncryptionPolicy.Mode.OFF);
    }

    /** The same settings with a TLS port (tests). */
    public SessionSettings withTls(int port, MediaEncryptionPolicy.Mode media) {
        return new SessionSettings(advertisedHost, advertisedPort, bindHost, bindPort, branches, lookupTimeout, clock,
                domains, authenticateCallers, trustedPeers, routes, followRedirects, maxRedirects, minSessionExpires,
                t1, inviteTimeout, transports, overload, port, media, maxCallDuration, topologyHiding);
    }

    /** The same settings with another maximum call duration (zero: none). */
    public SessionSettings withMaxCallDuration(Duration max) {
        return new SessionSettings(advertisedHost, advertisedPort, bindHost, bindPort, branches, lookupTimeout, clock,
                domains, authenticateCallers, trustedPeers, routes, followRedirects, maxRedirects, minSessionExpires,
                t1, inviteTimeout, transports, overload, tlsPort, mediaEncryption, max, topologyHiding);
    }

    /** The same settings with topology hiding on or off ({@code switchboard.policy.topology-hiding}). */
    public SessionSettings withTopologyHiding(boolean on) {
        return new SessionSettings(advertisedHost, advertisedPort, bindHost, bindPort, branches, lookupTimeout, clock,
                domains, authenticateCallers, trustedPeers, routes, followRedirects, maxRedirects, minSessionExpires,
                t1, inviteTimeout, transports, overload, tlsPort, mediaEncryption, maxCallDuration, on);
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
        return recordRoute(hop, SipTransport.UDP, callId, callerTag);
    }

    /**
     * Our Record-Route for the side of the call reached over {@code side}: over TLS it names the TLS port with
     * {@code transport=tls}, so the dialog's requests from that side come back encrypted; toward a WebSocket client
     * it carries {@code transport=ws} and names no port (the client sends everything on its connection).
     */
    public String recordRoute(Peer hop, SipTransport side, String callId, String callerTag) {
        String rest = ";lr;" + ROUTE_TOKEN_PARAM + "=" + branches.dialogToken(callId, callerTag) + ">";
        Peer at = address(hop, side);
        if (side.isWebSocket()) {
            String host = at.host().contains(":") ? "[" + at.host() + "]" : at.host();
            return "<sip:" + host + ";transport=ws" + rest;
        }
        return "<sip:" + at + (side == SipTransport.TLS ? ";transport=tls" : "") + rest;
    }

    /**
     * The Record-Route values to prepend, in order, for a request that arrived over {@code in} and leaves over
     * {@code out}: one, or when the sides differ in kind — clear (UDP, TCP), TLS, WebSocket — two (RFC 5658 double
     * record-routing; RFC 7118's examples), the one facing each side written for that side's transport; the last
     * is the topmost, facing downstream. Each carries the dialog token, so each is recognised as ours.
     */
    public List<String> recordRoutes(Peer hop, SipTransport in, SipTransport out, String callId, String callerTag) {
        if (kind(in) == kind(out)) {
            return List.of(recordRoute(hop, out, callId, callerTag));
        }
        return List.of(recordRoute(hop, in, callId, callerTag), recordRoute(hop, out, callId, callerTag));
    }

    private static int kind(SipTransport t) {
        return t.isWebSocket() ? 2 : t == SipTransport.TLS ? 1 : 0;
    }

    /** Our Via for a request sent through the transport node at {@code hop}; over TLS it names the TLS port. */
    public String via(String transport, String branch, Peer hop) {
        Peer at = address(hop, SipTransport.fromWire(transport));
        return "SIP/2.0/" + transport + " " + at + ";branch=" + branch;
    }

    /**
     * The address peers reach us at over {@code side}: the advertised one, else the transport node's own; the TLS
     * port for TLS, the UDP/TCP port otherwise (a hop that is our TLS listener is mapped back for clear sides).
     */
    private Peer address(Peer hop, SipTransport side) {
        boolean tls = side == SipTransport.TLS && tlsPort > 0;
        if (!advertisedHost.isEmpty()) {
            return new Peer(advertisedHost, tls ? tlsPort : advertisedPort);
        }
        if (tls) {
            return new Peer(hop.host(), tlsPort);
        }
        return tlsPort > 0 && hop.port() == tlsPort ? new Peer(hop.host(), bindPort) : hop;
    }

    /**
     * Whether a URI in {@code request} (a Route or its Request-URI) names this cluster: it carries a dialog token
     * of this request's call (see {@link #vouchesFor}), or names the advertised address, this node's SIP address or
     * the transport node it arrived through.
     */
    public boolean isUs(SipUri uri, Peer hop, SipRequest request) {
        return vouchesFor(uri, request) || namesUs(uri, hop);
    }

    /**
     * Whether the URI names one of our addresses: advertised, bound, or the transport node at {@code hop}. Not a
     * URI comparison (RFC 3261 §19.1.4 would tell {@code sip:p.example.com} from {@code sip:p.example.com:5060})
     * but an address one (§16.4: "indicates this proxy"): host in any case and IPv6 spelling, the port written or
     * the one the URI's transport defaults to (5061 for sips and transport=tls, else 5060).
     */
    public boolean namesUs(SipUri uri, Peer hop) {
        int port = uri.portOrDefault();
        boolean tls = tlsPort > 0 && port == tlsPort;
        return (uri.hostIs(advertisedHost) && (port == advertisedPort || tls))
                || (uri.hostIs(bindHost) && (port == bindPort || tls))
                || (uri.hostIs(hop.host()) && port == hop.port());
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

    /** What the proxy core of one Call-ID needs of these settings. */
    public ProxyRules proxyRules(String callId) {
        return new ProxyRules(callId, domains, authenticateCallers, routes, followRedirects, maxRedirects, inviteTimeout,
                branches);
    }

    public Optional<String> routeFor(String host) {
        return Optional.ofNullable(routes.get(host.toLowerCase(Locale.ROOT))).or(() -> Optional.ofNullable(routes.get("*")));
    }
}
