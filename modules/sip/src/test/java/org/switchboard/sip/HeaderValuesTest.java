package org.switchboard.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class HeaderValuesTest {
    @Test
    void sipUriParts() {
        SipUri u = SipUri.parse("sips:alice:secret@Example.COM:5061;transport=tcp;lr?subject=hi");
        assertEquals("sips", u.scheme());
        assertEquals(Optional.of("alice"), u.user());
        assertEquals(Optional.of("secret"), u.password());
        assertEquals("Example.COM", u.host());
        assertEquals(OptionalInt.of(5061), u.port());
        assertEquals("TCP", u.transport());
        assertTrue(u.params().has("lr"));
        assertEquals("subject=hi", u.headers());
        assertEquals("sips:alice@example.com:5061", u.addressOfRecord(), "RFC 3261 §10.3: parameters, headers and password go, the port stays");
        assertEquals("sips:alice:secret@Example.COM:5061;transport=tcp;lr?subject=hi", u.toString());
    }

    @Test
    void ipv6ReferencesAndTelUris() {
        SipUri v6 = SipUri.parse("sip:bob@[2001:db8::10]:5070");
        assertEquals("[2001:db8::10]", v6.host());
        assertEquals(OptionalInt.of(5070), v6.port());
        SipUri tel = SipUri.parse("tel:+1-201-555-0123;phone-context=example.com");
        assertEquals(Optional.of("+1-201-555-0123"), tel.user());
        assertThrows(SipParseException.class, () -> SipUri.parse("nocolon"));
        assertThrows(SipParseException.class, () -> SipUri.parse("sip:bob@host:99999"));
    }

    @Test
    void addrSpecParametersBelongToTheHeader() {
        NameAddress a = NameAddress.parse("sip:alice@example.com;tag=abc");
        assertEquals(Optional.of("abc"), a.tag());
        assertTrue(a.uri().params().list().isEmpty());
        NameAddress b = NameAddress.parse("<sip:alice@example.com;transport=tcp>;tag=xyz");
        assertEquals(Optional.of("xyz"), b.tag());
        assertEquals("TCP", b.uri().transport());
    }

    @Test
    void viaWithSpacesReceivedAndRport() {
        Via v = Via.parse("SIP / 2.0 / UDP 10.0.0.1:5070;branch=z9hG4bKx;received=192.0.2.9;rport=6000");
        assertEquals("UDP", v.transport());
        assertEquals("192.0.2.9", v.responseHost());
        assertEquals(6000, v.responsePort());
        Via plain = Via.parse("SIP/2.0/TLS host.example.com");
        assertEquals(5061, plain.responsePort());
        assertEquals("host.example.com", plain.responseHost());
        assertThrows(SipParseException.class, () -> Via.parse("SIP/3.0/UDP h"));
    }

    @Test
    void cseqBounds() {
        assertEquals(new CSeq(2147483647L, "INVITE"), CSeq.parse("2147483647 INVITE"));
        assertThrows(SipParseException.class, () -> CSeq.parse("2147483648 INVITE"));
        assertThrows(SipParseException.class, () -> CSeq.parse("12"));
        assertThrows(SipParseException.class, () -> CSeq.parse("x INVITE"));
    }
}
