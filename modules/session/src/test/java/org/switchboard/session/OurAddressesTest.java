package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.Branches;
import org.switchboard.sip.SipUri;
import org.switchboard.testkit.TestClock;
import org.switchboard.transport.api.Peer;

/**
 * Route and Request-URI recognition of our own addresses (RFC 3261 §16.4, "indicates this proxy"): an address
 * match, not the §19.1.4 URI comparison (docs/architecture.md, "URI identity").
 */
class OurAddressesTest {
    private final SessionSettings settings = SessionSettings.open("sip.example.com", 5060, new Branches("secret"),
            TestClock.manual());
    private final SessionSettings v6 = SessionSettings.open("2001:db8::10", 5070, new Branches("secret"),
            TestClock.manual());
    private final SessionSettings tls = SessionSettings.open("sip.example.com", 5060, new Branches("secret"),
            TestClock.manual()).withTls(5061, MediaEncryptionPolicy.Mode.OFF);
    private final Peer hop = new Peer("192.0.2.1", 5080);

    private static SipUri uri(String text) {
        return SipUri.parse(text);
    }

    @Test
    void hostInAnyCaseAndTheDefaultPortOfItsTransport() {
        assertTrue(settings.namesUs(uri("sip:SIP.Example.COM;lr"), hop), "no port: 5060 for sip");
        assertTrue(settings.namesUs(uri("sip:sip.example.com:5060;lr"), hop));
        assertFalse(settings.namesUs(uri("sip:sip.example.com:5062;lr"), hop));
        assertFalse(settings.namesUs(uri("sips:sip.example.com;lr"), hop), "no port: 5061 for sips, not ours here");
        assertFalse(settings.namesUs(uri("sip:sip.example.com;transport=tls;lr"), hop));
        assertFalse(settings.namesUs(uri("sip:other.example.com;lr"), hop));
    }

    @Test
    void sipsWithoutAPortIsOurTlsPort() {
        assertTrue(tls.namesUs(uri("sips:sip.example.com;lr"), hop));
        assertTrue(tls.namesUs(uri("sip:sip.example.com;transport=TLS;lr"), hop));
    }

    @Test
    void theTransportNodeItCameThrough() {
        assertTrue(settings.namesUs(uri("sip:192.0.2.1:5080;lr"), hop));
        assertFalse(settings.namesUs(uri("sip:192.0.2.1;lr"), hop), "5060 is not the hop's port");
    }

    @Test
    void ipv6InAnySpelling() {
        assertTrue(v6.namesUs(uri("sip:[2001:DB8:0:0:0:0:0:10]:5070;lr"), hop));
        assertTrue(v6.namesUs(uri("sip:[2001:db8::10]:5070;lr"), hop));
        assertFalse(v6.namesUs(uri("sip:[2001:db8::11]:5070;lr"), hop));
    }
}
