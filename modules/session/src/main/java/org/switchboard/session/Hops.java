package org.switchboard.session;

import java.util.Optional;

import org.switchboard.sip.SipUri;
import org.switchboard.sip.Via;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Lookup;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

/** Where messages go next: the upstream hop of a Via, the downstream hop of a URI. */
final class Hops {
    private Hops() {
    }

    /**
     * Responses go back over the flow a request came on (streams), else to the Via's received/rport address
     * (RFC 3261 §18.2.2, RFC 3581).
     */
    static Destination upstream(Envelope envelope, Via via) {
        if (envelope.transport().isStream()) {
            return envelope.backToSender();
        }
        return new Destination(SipTransport.UDP, new Peer(via.responseHost(), via.responsePort()), Optional.empty());
    }

    /** A response whose request state is gone (failover): the Via alone says where it goes. */
    static Destination upstream(Via via) {
        return new Destination(SipTransport.fromWire(via.transport()), new Peer(via.responseHost(), via.responsePort()),
                Optional.empty());
    }

    /**
     * The next hop for a request sent to this URI: the URI's own host and port, and for a host name how the
     * transport node looks it up (RFC 3263 §4: NAPTR when the URI names neither port nor transport, SRV when it
     * names the transport only, A/AAAA when it names the port). A {@code sips:} URI is reached over TLS whatever its
     * transport parameter says (RFC 3261 §26.2.2: in a SIPS URI, transport=tcp means TLS over TCP).
     */
    static Destination downstream(SipUri uri) {
        SipTransport transport = uri.scheme().equalsIgnoreCase("sips") ? SipTransport.TLS
                : SipTransport.fromWire(uri.transport());
        int port = uri.port().orElse(transport == SipTransport.TLS ? 5061 : 5060);
        String host = uri.params().get("maddr").filter(m -> !m.isEmpty()).orElse(uri.host());
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        Lookup lookup = uri.port().isPresent() ? Lookup.ADDRESS
                : uri.params().get("transport").isPresent() || transport == SipTransport.TLS ? Lookup.SRV
                : Lookup.NAPTR;
        return new Destination(transport, new Peer(host, port), Optional.empty(), lookup);
    }
}
