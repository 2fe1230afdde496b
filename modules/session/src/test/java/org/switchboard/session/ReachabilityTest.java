package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

/** The one rule of how a device is reached (docs/architecture.md, "Reaching phones"), case by case. */
class ReachabilityTest {
    private static final Peer NAT = new Peer("203.0.113.7", 40123);

    private static ContactBinding binding(String contact, SipTransport transport, Optional<String> flow,
                                          boolean direct, List<String> path) {
        return new ContactBinding(contact, 1.0, 1_000_000, 0, "call", 1, Optional.empty(), 0, path, transport, NAT,
                flow, direct);
    }

    @Test
    void aPhoneBehindNatIsReachedWhereItsRegisterCameFrom() {
        Destination d = Reachability.ofBinding(binding("sip:bob@192.168.1.20:5060", SipTransport.UDP, Optional.empty(),
                true, List.of()));
        assertEquals(new Destination(SipTransport.UDP, NAT, Optional.empty()), d);
    }

    @Test
    void aPhoneThatRegisteredFromItsContactIsReachedThere() {
        ContactBinding b = new ContactBinding("sip:bob@203.0.113.7:40123", 1.0, 1_000_000, 0, "call", 1,
                Optional.empty(), 0, List.of(), SipTransport.UDP, NAT, Optional.empty(), true);
        assertEquals(Hops.downstream(org.switchboard.sip.SipUri.parse("sip:bob@203.0.113.7:40123")),
                Reachability.ofBinding(b));
    }

    @Test
    void aRegisterRelayedByAProxyIsNotTakenForNat() {
        Destination d = Reachability.ofBinding(binding("sip:bob@198.51.100.9:5060", SipTransport.UDP, Optional.empty(),
                false, List.of()));
        assertEquals(new Peer("198.51.100.9", 5060), d.peer(), "two Vias: the source is a proxy, the Contact is right");
    }

    /** RFC 5627: a GRUU names the device's domain; the side of a dialog that gave one is reached where it spoke from. */
    @Test
    void aSideWhoseContactIsAGruuIsReachedWhereItSpokeFromEvenThroughAProxy() {
        String gruu = "sip:bob@example.com;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6";
        for (boolean direct : List.of(true, false)) {
            Destination d = Reachability.ofBinding(binding(gruu, SipTransport.UDP, Optional.empty(), direct, List.of()));
            assertEquals(new Destination(SipTransport.UDP, NAT, Optional.empty()), d, "direct: " + direct);
        }
        assertTrue(Reachability.isGruu(gruu));
        assertTrue(Reachability.isGruu("sip:tgruu.abc@example.com;gr"));
        assertTrue(!Reachability.isGruu("sip:bob@example.com;grx=1"));
    }

    @Test
    void aConnectionWinsOverAnyAddress() {
        Destination d = Reachability.ofBinding(binding("sip:bob@10.0.0.5:5060;transport=tcp", SipTransport.TCP,
                Optional.of("node1.a42"), true, List.of()));
        assertEquals(new Destination(SipTransport.TCP, NAT, Optional.of("node1.a42")), d);
    }

    @Test
    void aPathWinsOverEverything() {
        ContactBinding b = binding("sip:bob@10.0.0.5:5060", SipTransport.UDP, Optional.empty(), true,
                List.of("<sip:edge.example.net:5070;lr>", "<sip:edge2.example.net;lr>"));
        Destination d = Reachability.ofBinding(b);
        assertEquals(new Peer("edge.example.net", 5070), d.peer());
        assertEquals(b.path(), Reachability.routesOf(b));
    }

    @Test
    void aContactAskingForAnotherTransportIsReachedAsItAsks() {
        Destination d = Reachability.ofBinding(binding("sips:bob@198.51.100.9:5061", SipTransport.UDP, Optional.empty(),
                true, List.of()));
        assertEquals(SipTransport.TLS, d.transport(), "never a downgrade to the UDP source");
        assertEquals(new Peer("198.51.100.9", 5061), d.peer());
    }

    @Test
    void aDialogSideIsReachedByTheSameRule() {
        Envelope fromNat = new Envelope(new byte[0], SipTransport.UDP, NAT, new Peer("127.0.0.1", 5060),
                Optional.empty(), null);
        assertEquals(new Destination(SipTransport.UDP, NAT, Optional.empty()),
                Reachability.ofSender(fromNat, 1, "sip:alice@192.168.1.30:5060"));
        assertTrue(Reachability.ofSender(fromNat, 2, "sip:alice@198.51.100.4:5060").peer().host().equals("198.51.100.4"));
    }
}
