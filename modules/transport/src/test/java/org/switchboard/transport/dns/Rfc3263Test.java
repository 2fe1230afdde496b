package org.switchboard.transport.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.switchboard.transport.api.SipTransport;

class Rfc3263Test {
    private static final Set<SipTransport> UDP_TCP = Set.of(SipTransport.UDP, SipTransport.TCP);

    @Test
    void naptrRecordsAreTakenByOrderThenPreferenceAndOnlyForTransportsWeSupport() {
        List<NaptrRecord> records = List.of(
                new NaptrRecord(50, 10, "s", "SIP+D2U", "", "_sip._udp.example.com."),
                new NaptrRecord(10, 20, "S", "SIP+D2T", "", "_sip._tcp.example.com"),
                new NaptrRecord(10, 5, "s", "SIPS+D2T", "", "_sips._tcp.example.com"),   // TLS: not supported
                new NaptrRecord(10, 30, "u", "E2U+sip", "!^.*$!sip:a@b!", ""),          // not a SIP service
                new NaptrRecord(5, 1, "s", "SIP+D2S", "", "_sip._sctp.example.com"));   // SCTP: unknown
        assertEquals(List.of(new SrvQuery("_sip._tcp.example.com", SipTransport.TCP),
                        new SrvQuery("_sip._udp.example.com", SipTransport.UDP)),
                Rfc3263.srvFromNaptr(records, UDP_TCP, false));
    }

    @Test
    void aSipsTargetOnlyUsesTheSipsService() {
        List<NaptrRecord> records = List.of(new NaptrRecord(10, 10, "s", "SIP+D2U", "", "_sip._udp.example.com"),
                new NaptrRecord(20, 10, "s", "SIPS+D2T", "", "_sips._tcp.example.com"));
        Set<SipTransport> all = Set.of(SipTransport.values());
        assertEquals(List.of(new SrvQuery("_sips._tcp.example.com", SipTransport.TLS)),
                Rfc3263.srvFromNaptr(records, all, true));
    }

    @Test
    void withoutNaptrEachSupportedTransportIsAskedUdpFirst() {
        assertEquals(List.of(new SrvQuery("_sip._udp.example.com", SipTransport.UDP),
                        new SrvQuery("_sip._tcp.example.com", SipTransport.TCP)),
                Rfc3263.srvWithoutNaptr("example.com.", UDP_TCP, false));
        assertEquals(List.of(), Rfc3263.srvWithoutNaptr("example.com", UDP_TCP, true), "no TLS: no sips target");
    }

    @Test
    void srvTargetsGoByPriorityFirst() {
        List<SrvRecord> records = List.of(new SrvRecord(20, 100, 5060, "c.example.com."),
                new SrvRecord(10, 0, 5070, "a.example.com."), new SrvRecord(30, 50, 5060, "d.example.com"));
        assertEquals(List.of(new HostTarget(SipTransport.UDP, "a.example.com", 5070),
                        new HostTarget(SipTransport.UDP, "c.example.com", 5060),
                        new HostTarget(SipTransport.UDP, "d.example.com", 5060)),
                Rfc3263.orderSrv(records, SipTransport.UDP, new Random(1)));
    }

    @Test
    void withinAPriorityTheFirstIsDrawnInProportionToItsWeight() {
        List<SrvRecord> records = List.of(new SrvRecord(10, 60, 5060, "big"), new SrvRecord(10, 20, 5060, "small"),
                new SrvRecord(10, 20, 5060, "other"), new SrvRecord(20, 1000, 5060, "backup"));
        Map<String, Integer> first = new HashMap<>();
        Random random = new Random(42);
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            List<HostTarget> order = Rfc3263.orderSrv(records, SipTransport.TCP, random);
            first.merge(order.get(0).host(), 1, Integer::sum);
            assertEquals("backup", order.get(3).host(), "a lower priority is never tried before a higher one");
            assertEquals(4, order.size());
        }
        // weights 60:20:20 (RFC 2782 draws from 0..sum inclusive, hence the small excess of the first)
        assertEquals(0.6, first.get("big") / (double) draws, 0.02);
        assertEquals(0.2, first.get("small") / (double) draws, 0.02);
        assertEquals(0.2, first.get("other") / (double) draws, 0.02);
    }

    @Test
    void aWeightOfZeroIsDrawnRarelyButIsNotLost() {
        List<SrvRecord> records = List.of(new SrvRecord(10, 0, 5060, "zero"), new SrvRecord(10, 100, 5060, "hundred"));
        int zeroFirst = 0;
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            List<HostTarget> order = Rfc3263.orderSrv(records, SipTransport.UDP, random);
            assertEquals(2, order.size());
            zeroFirst += order.get(0).host().equals("zero") ? 1 : 0;
        }
        assertTrue(zeroFirst > 0 && zeroFirst < 300, "zero-weight first " + zeroFirst + " times of 10000");
    }

    @Test
    void aLoneDotTargetMeansNoService() {
        assertEquals(List.of(), Rfc3263.orderSrv(List.of(new SrvRecord(0, 0, 0, ".")), SipTransport.UDP, new Random()));
    }
}
