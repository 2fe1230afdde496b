package org.switchboard.session;

import java.util.List;
import java.util.Optional;

import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipUri;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.SipTransport;

/**
 * How a device is reached, for phones behind NAT as for any other (RFC 5626 §5 for an edge proxy, and what
 * every SBC does for phones that know nothing of it). A device behind NAT writes its private address into its
 * Contact; only the address its requests come from (the NAT's mapping) and the connection they come on reach
 * it. So:
 * <ul>
 *   <li>a binding with a Path is reached through its first Path hop (RFC 3327), the Path as pre-loaded Routes;</li>
 *   <li>a binding made over a connection is reached over that connection (its flow);</li>
 *   <li>a binding whose REGISTER came straight from the device (one Via) from another address than its Contact
 *       names is reached at the address the REGISTER came from;</li>
 *   <li>anything else at its Contact (RFC 3263 on the URI).</li>
 * </ul>
 * A Contact that is a GRUU (RFC 5627) names the device's domain, not the device: a side of a dialog whose remote
 * target is a GRUU is reached where its request came from (or, for a callee, as its fork reached it).
 * A side of a dialog is reached by the same rules, applied to the request that set its remote target.
 */
final class Reachability {
    private Reachability() {
    }

    /** Where an INVITE to this binding is sent (the Request-URI stays the Contact). */
    static Destination ofBinding(ContactBinding b) {
        if (!b.path().isEmpty()) {
            return Hops.downstream(pathUri(b.path().get(0)));
        }
        return reach(b.transport(), b.source(), b.flow(), b.direct(), b.contact());
    }

    /** The Route headers an INVITE to this binding carries: its Path, in order. */
    static List<String> routesOf(ContactBinding b) {
        return b.path();
    }

    /**
     * Where requests inside a dialog go to the party that sent {@code request} (it came in {@code envelope}) with
     * {@code contact} as its remote target.
     */
    static Destination ofSender(Envelope envelope, int vias, String contact) {
        return reach(envelope.transport(), envelope.remote(), envelope.flow(), vias == 1, contact);
    }

    private static Destination reach(SipTransport transport, org.switchboard.transport.api.Peer source,
                                     Optional<String> flow, boolean direct, String contact) {
        Optional<Destination> byContact = parse(contact).filter(u -> !isGruu(u)).map(Hops::downstream);
        if (transport.isStream() && flow.isPresent()) {
            return new Destination(transport, source, flow);
        }
        if (direct && byContact.map(d -> d.transport() == transport && !d.peer().equals(source)).orElse(true)) {
            return new Destination(transport, source, Optional.empty());
        }
        return byContact.orElseGet(() -> new Destination(transport, source, Optional.empty()));
    }

    /** Where a URI alone leads (RFC 3263 on its host, port and transport); empty for one that does not parse. */
    static Optional<Destination> byUri(String uri) {
        return parse(uri).map(Hops::downstream);
    }

    /** Whether this remote target is a GRUU (its {@code gr} parameter, RFC 5627 §3.1): where it leads, a proxy decides. */
    static boolean isGruu(String uri) {
        return parse(uri).filter(Reachability::isGruu).isPresent();
    }

    private static boolean isGruu(SipUri uri) {
        return uri.params().has("gr");
    }

    private static Optional<SipUri> parse(String uri) {
        try {
            return uri.isEmpty() ? Optional.empty() : Optional.of(SipUri.parse(uri));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static SipUri pathUri(String path) {
        return NameAddress.parse(path).uri();
    }
}
