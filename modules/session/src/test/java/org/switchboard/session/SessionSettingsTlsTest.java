package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.Branches;
import org.switchboard.testkit.TestClock;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

/** Via and Record-Route name the port of the transport a message leaves on (TLS: the TLS port). */
class SessionSettingsTlsTest {
    private final SessionSettings settings = SessionSettings.open("", 5060, new Branches("secret"), TestClock.manual())
            .withTls(5061, MediaEncryptionPolicy.Mode.OFF);
    private final Peer udpHop = new Peer("127.0.0.1", 5060);
    private final Peer tlsHop = new Peer("127.0.0.1", 5061);

    @Test
    void viaOverTlsNamesTheTlsPortAndOverUdpTheSipPort() {
        assertEquals("SIP/2.0/TLS 127.0.0.1:5061;branch=b", settings.via("TLS", "b", udpHop));
        assertEquals("SIP/2.0/UDP 127.0.0.1:5060;branch=b", settings.via("UDP", "b", tlsHop));
        assertEquals("SIP/2.0/TCP 127.0.0.1:5060;branch=b", settings.via("TCP", "b", udpHop));
    }

    @Test
    void betweenATlsAndAClearSideTwoRecordRoutesEachFacingItsSide() {
        List<String> rr = settings.recordRoutes(udpHop, SipTransport.UDP, SipTransport.TLS, "call", "tag");
        assertEquals(2, rr.size());
        String token = new Branches("secret").dialogToken("call", "tag");
        assertEquals("<sip:127.0.0.1:5060;lr;sb=" + token + ">", rr.get(0), "facing the caller (UDP), pushed first");
        assertEquals("<sip:127.0.0.1:5061;transport=tls;lr;sb=" + token + ">", rr.get(1), "topmost, facing the TLS callee");
        List<String> back = settings.recordRoutes(tlsHop, SipTransport.TLS, SipTransport.UDP, "call", "tag");
        assertEquals(List.of("<sip:127.0.0.1:5061;transport=tls;lr;sb=" + token + ">", "<sip:127.0.0.1:5060;lr;sb=" + token + ">"), back);
    }

    @Test
    void sameKindOfTransportOnBothSidesOneRecordRoute() {
        assertEquals(1, settings.recordRoutes(tlsHop, SipTransport.TLS, SipTransport.TLS, "c", "t").size());
        assertTrue(settings.recordRoutes(tlsHop, SipTransport.TLS, SipTransport.TLS, "c", "t").get(0).contains(":5061;transport=tls"));
        assertEquals(1, settings.recordRoutes(udpHop, SipTransport.UDP, SipTransport.TCP, "c", "t").size());
    }
}
