package org.switchboard.transport.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Lookup;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

/** Which query comes next, for each shape of SIP URI and each DNS answer (RFC 3263 §4.1, §4.2). */
class WalkTest {
    private static final Set<SipTransport> SUPPORTED = Set.of(SipTransport.UDP, SipTransport.TCP);

    private static Walk start(SipTransport transport, int port, Lookup lookup) {
        return Walk.start(new Destination(transport, new Peer("example.com", port), Optional.empty(), lookup), SUPPORTED);
    }

    @Test
    void aUriWithNeitherPortNorTransportAsksNaptrThenTheSrvItNamesThenItsTargets() {
        Walk w = start(SipTransport.UDP, 5060, Lookup.NAPTR);
        assertEquals(new Walk.AskNaptr("example.com"), w.next());
        w = w.naptrAnswered(List.of(new NaptrRecord(10, 10, "s", "SIP+D2T", "", "_sip._tcp.example.com")));
        assertEquals(new Walk.AskSrv(new SrvQuery("_sip._tcp.example.com", SipTransport.TCP)), w.next());
        w = w.srvAnswered(List.of(new SrvRecord(10, 0, 5080, "gw.example.com")), new Random());
        assertEquals(new Walk.ResolveHosts(List.of(new HostTarget(SipTransport.TCP, "gw.example.com", 5080))), w.next());
    }

    @Test
    void withoutNaptrEachTransportsSrvIsAskedThenTheHostWithTheDefaultPort() {
        Walk w = start(SipTransport.UDP, 5060, Lookup.NAPTR).naptrAnswered(List.of());
        assertEquals(new Walk.AskSrv(new SrvQuery("_sip._udp.example.com", SipTransport.UDP)), w.next());
        w = w.srvAnswered(List.of(), new Random());
        assertEquals(new Walk.AskSrv(new SrvQuery("_sip._tcp.example.com", SipTransport.TCP)), w.next());
        w = w.srvAnswered(List.of(), new Random());
        assertEquals(new Walk.ResolveHosts(List.of(new HostTarget(SipTransport.UDP, "example.com", 5060))), w.next());
    }

    @Test
    void naptrRecordsNoneOfWhichWeCanUseCountAsNone() {
        Walk w = start(SipTransport.UDP, 5060, Lookup.NAPTR)
                .naptrAnswered(List.of(new NaptrRecord(10, 10, "s", "SIPS+D2T", "", "_sips._tcp.example.com")));
        assertEquals(new Walk.AskSrv(new SrvQuery("_sip._udp.example.com", SipTransport.UDP)), w.next());
    }

    @Test
    void aTransportButNoPortAsksTheSrvOfThatTransportOnly() {
        Walk w = start(SipTransport.TCP, 5060, Lookup.SRV);
        assertEquals(new Walk.AskSrv(new SrvQuery("_sip._tcp.example.com", SipTransport.TCP)), w.next());
        w = w.srvAnswered(List.of(), new Random());
        assertEquals(new Walk.ResolveHosts(List.of(new HostTarget(SipTransport.TCP, "example.com", 5060))), w.next());
    }

    @Test
    void aPortAsksTheAddressOnly() {
        assertEquals(new Walk.ResolveHosts(List.of(new HostTarget(SipTransport.UDP, "example.com", 5070))),
                start(SipTransport.UDP, 5070, Lookup.ADDRESS).next());
    }

    @Test
    void anIpLiteralIsNeverLookedUp() {
        assertEquals(Lookup.ADDRESS,
                new Destination(SipTransport.UDP, new Peer("192.0.2.1", 5060), Optional.empty(), Lookup.NAPTR).lookup());
        assertEquals(Lookup.ADDRESS,
                new Destination(SipTransport.UDP, new Peer("2001:db8::1", 5060), Optional.empty(), Lookup.SRV).lookup());
    }
}
