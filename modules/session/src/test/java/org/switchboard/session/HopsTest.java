package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipUri;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Lookup;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

/** What a URI says about how its host is looked up (RFC 3263 §4.1, §4.2). */
class HopsTest {
    private static Destination hop(String uri) {
        return Hops.downstream(SipUri.parse(uri));
    }

    @Test
    void neitherPortNorTransportMeansNaptr() {
        assertEquals(new Destination(SipTransport.UDP, new Peer("trunk.example.net", 5060), Optional.empty(),
                Lookup.NAPTR), hop("sip:trunk.example.net"));
    }

    @Test
    void aTransportWithoutPortMeansSrvForIt() {
        assertEquals(new Destination(SipTransport.TCP, new Peer("trunk.example.net", 5060), Optional.empty(),
                Lookup.SRV), hop("sip:+15551234@trunk.example.net;transport=tcp"));
        assertEquals(Lookup.SRV, hop("sips:trunk.example.net").lookup(), "sips: is TLS, whose SRV is _sips._tcp");
    }

    @Test
    void aPortMeansAnAddressLookupWithIt() {
        assertEquals(new Destination(SipTransport.UDP, new Peer("trunk.example.net", 5070), Optional.empty(),
                Lookup.ADDRESS), hop("sip:trunk.example.net:5070"));
    }

    @Test
    void anAddressIsNotLookedUp() {
        assertEquals(Destination.udp("192.0.2.1", 5060), hop("sip:bob@192.0.2.1"));
        assertEquals(Lookup.ADDRESS, hop("sip:bob@[2001:db8::1]").lookup());
    }
}
