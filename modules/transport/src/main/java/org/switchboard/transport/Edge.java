package org.switchboard.transport;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

import org.switchboard.sip.Branches;
import org.switchboard.sip.HeaderName;
import org.switchboard.sip.HeaderNames;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.SipUri;
import org.switchboard.sip.Via;
import org.switchboard.transport.api.Peer;

/**
 * The stateless checks every inbound message passes at the transport node (docs/architecture.md, "The path of
 * a message", step 1 and 2): parse, answer what needs no state, fix up the top Via, and drop what is not ours.
 * Pure: no I/O, so every rule is testable on bytes.
 */
public final class Edge {
    private final TransportSettings settings;
    private final Branches branches;

    public Edge(TransportSettings settings, Branches branches) {
        this.settings = settings;
        this.branches = branches;
    }

    public EdgeDecision inspect(byte[] data, int offset, int length, Peer remote) {
        ParseResult result = SipParser.parse(data, offset, length);
        if (result instanceof ParseResult.Malformed m) {
            byte[] copy = java.util.Arrays.copyOfRange(data, offset, offset + length);
            return MalformedReply.build(copy, m.error())
                    .<EdgeDecision>map(EdgeDecision.Reply::new)
                    .orElseGet(() -> new EdgeDecision.Drop("malformed: " + m.error().reason()));
        }
        SipMessage message = ((ParseResult.Parsed) result).message();
        try {
            return message instanceof SipRequest request ? inspectRequest(request, remote)
                    : inspectResponse((SipResponse) message);
        } catch (SipParseException e) {
            return message.isRequest()
                    ? new EdgeDecision.Reply(((SipRequest) message).response(400, "Bad Request - " + e.error().reason()).toBytes())
                    : new EdgeDecision.Drop("malformed response: " + e.error().reason());
        }
    }

    private EdgeDecision inspectRequest(SipRequest request, Peer remote) {
        if (!request.version().equals("SIP/2.0")) {
            return reply(request, 505, "Version Not Supported");
        }
        String scheme = request.requestUriText().substring(0, request.requestUriText().indexOf(':')).toLowerCase(Locale.ROOT);
        if (!scheme.equals("sip") && !scheme.equals("sips") && !scheme.equals("tel")) {
            return new EdgeDecision.Reply(request.response(416, "Unsupported URI Scheme").toBytes());
        }
        OptionalInt maxForwards = request.maxForwards();
        if (maxForwards.isPresent() && maxForwards.getAsInt() == 0) {
            return reply(request, 483, "Too Many Hops"); // an ACK cannot be answered: reply() drops it
        }
        // RFC 3261 §16.3 step 5: we understand no proxy extension, so any option-tag here is one we do not; ACK
        // cannot be answered and a CANCEL follows its INVITE (§8.2.2.3)
        List<String> proxyRequire = request.headers(HeaderName.PROXY_REQUIRE);
        if (!proxyRequire.isEmpty() && !request.method().equals("ACK") && !request.method().equals("CANCEL")) {
            return new EdgeDecision.Reply(request.response(420, "Bad Extension")
                    .header(HeaderName.UNSUPPORTED, String.join(", ", proxyRequire)).toBytes());
        }
        if (request.method().equals("OPTIONS") && addressedToUs(request.requestUri()) && request.routes().isEmpty()) {
            return new EdgeDecision.Reply(request.response(200, "OK").toTag(Long.toHexString(System.nanoTime()))
                    .header("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, MESSAGE, SUBSCRIBE, NOTIFY, PUBLISH, REFER, INFO, UPDATE, PRACK")
                    .header("Accept", "application/sdp")
                    .toBytes());
        }
        return new EdgeDecision.Route(fixUpVia(request, remote));
    }

    private static EdgeDecision reply(SipRequest request, int code, String reason) {
        if (request.method().equals("ACK")) {
            return new EdgeDecision.Drop("ACK cannot be answered: " + code);
        }
        return new EdgeDecision.Reply(request.response(code, reason).toBytes());
    }

    private EdgeDecision inspectResponse(SipResponse response) {
        Optional<String> branch = response.topVia().branch();
        if (branch.isEmpty() || !branches.isOurs(branch.get(), response.callId())) {
            return new EdgeDecision.Drop("response whose top Via is not ours", true);
        }
        return new EdgeDecision.Route(response);
    }

    /** RFC 3261 §18.2.1 and RFC 3581: record where the request really came from. */
    static SipMessage fixUpVia(SipRequest request, Peer remote) {
        Via top = request.topVia();
        Via fixed = top;
        if (!top.sentBy().host().equals(remote.host()) || top.wantsRport()) {
            fixed = fixed.withParam("received", remote.host());
        }
        if (top.wantsRport()) {
            fixed = fixed.withParam("rport", Integer.toString(remote.port()));
        }
        if (fixed == top) {
            return request;
        }
        return request.edit().replaceFirstValue(HeaderNames.VIA, fixed.toString()).build();
    }

    private boolean addressedToUs(SipUri uri) {
        if (uri.user().isPresent()) {
            return false;
        }
        // an address, not a URI comparison: the default port of the URI's transport counts (see SipUri.portOrDefault)
        int port = uri.portOrDefault();
        boolean hostMatches = uri.hostIs(settings.advertisedHost()) || uri.hostIs(settings.host());
        boolean portMatches = port == settings.advertisedPort() || port == settings.port();
        return hostMatches && portMatches;
    }
}
