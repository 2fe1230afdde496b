package org.switchboard.sip.rfc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.ParseError;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipUri;
import org.switchboard.sip.Via;

/**
 * RFC 5118, the IPv6 torture messages. All but 4.2 are valid; three of them carry a Content-Length that does not
 * match their CRLF body in the RFC itself (see resources/rfc5118/README.md), and the tests say what RFC 3261
 * §18.3 makes of that.
 */
class Rfc5118Test {

    private static byte[] wire(String file) {
        return TortureMessages.load("rfc5118/" + file);
    }

    private static SipRequest request(String file) {
        return (SipRequest) TortureMessages.parsesAndRoundTrips(wire(file));
    }

    /** The bytes of the header block plus {@code bodyLength}: what a datagram longer than Content-Length is cut to. */
    private static int cutAt(byte[] w, int bodyLength) {
        return TortureMessages.offsetOf(w, "\r\n\r\n") + 4 + bodyLength;
    }

    @Test
    @DisplayName("4.1-ipv6-good.sip")
    void validIpv6Reference() {
        // RFC: valid; the IPv6 reference in the Request-URI is in brackets.
        SipRequest r = request("4.1-ipv6-good.sip");
        assertEquals("[2001:db8::10]", r.requestUri().host());
        assertEquals(OptionalInt.empty(), r.requestUri().port());
        assertEquals("[2001:db8::9:1]", r.topVia().sentBy().host());
        assertEquals(Optional.of("z9hG4bKas3-111"), r.topVia().branch());
        assertEquals("Caller", r.contacts().get(0).displayName().orElseThrow());
        assertEquals("[2001:db8::1]", r.contacts().get(0).uri().host());
    }

    @Test
    @DisplayName("4.2-ipv6-bad.sip")
    void ipv6ReferenceWithoutBrackets() {
        // RFC: invalid, the Request-URI's IPv6 address lacks '[' ']'; respond 400 Bad Request.
        byte[] w = wire("4.2-ipv6-bad.sip");
        ParseError e = TortureMessages.malformed(w);
        assertEquals("Request-URI: '[' and ']' around an IPv6 address", e.expected());
        assertEquals("REGISTER sip:".length(), e.offset());
    }

    @Test
    @DisplayName("4.3-port-ambiguous.sip")
    void portAmbiguousInSipUri() {
        // RFC: valid; [2001:db8::10:5070] is an address with no port (5070 is its last group, not a port).
        SipRequest r = request("4.3-port-ambiguous.sip");
        assertEquals("[2001:db8::10:5070]", r.requestUri().host());
        assertEquals(OptionalInt.empty(), r.requestUri().port());
    }

    @Test
    @DisplayName("4.4-port-unambiguous.sip")
    void portUnambiguousInSipUri() {
        // RFC: valid; [2001:db8::10]:5070 is an address and port 5070.
        SipRequest r = request("4.4-port-unambiguous.sip");
        assertEquals("[2001:db8::10]", r.requestUri().host());
        assertEquals(OptionalInt.of(5070), r.requestUri().port());
    }

    @Test
    @DisplayName("4.5-via-received-param-with-delim.sip")
    void viaReceivedWithDelimiters() {
        // RFC: valid; the received parameter may carry the IPv6 address in brackets.
        SipRequest r = request("4.5-via-received-param-with-delim.sip");
        Via via = r.topVia();
        assertEquals("[2001:db8::9:1]", via.sentBy().host());
        assertEquals(Optional.of("[2001:db8::9:255]"), via.received());
        assertEquals(Optional.of("z9hG4bKas3-111"), via.branch());
        assertEquals(Optional.of("bd76ya"), r.to().tag());
    }

    @Test
    @DisplayName("4.5-via-received-param-no-delim.sip")
    void viaReceivedWithoutDelimiters() {
        // RFC: valid; the received parameter may carry the IPv6 address bare, as RFC 3261's grammar has it.
        SipRequest r = request("4.5-via-received-param-no-delim.sip");
        assertEquals(Optional.of("2001:db8::9:255"), r.topVia().received());
        assertEquals(Optional.of("z9hG4bKas3"), r.topVia().branch());
        assertEquals("[2001:db8::9:1]", r.contacts().get(0).uri().host());
    }

    @Test
    @DisplayName("4.6-ipv6-in-sdp.sip")
    void ipv6AddressesInSdpBody() {
        // RFC: valid. Its Content-Length (268) exceeds the 251-byte CRLF body, an error in the RFC: as a datagram
        // that is a 400 (RFC 3261 §18.3); with the length corrected the message parses.
        byte[] w = wire("4.6-ipv6-in-sdp.sip");
        assertEquals("body of 268 bytes as Content-Length says", TortureMessages.malformed(w).expected());

        String text = new String(w, StandardCharsets.UTF_8);
        int body = w.length - cutAt(w, 0);
        byte[] fixed = text.replace("Content-Length: 268", "Content-Length: " + body).getBytes(StandardCharsets.UTF_8);
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(fixed);
        assertEquals("[2001:db8::10]", r.requestUri().host());
        assertEquals("[2001:db8::10]", r.to().uri().host());
        assertEquals("[2001:db8::20]", r.topVia().sentBy().host());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("c=IN IP6 2001:db8::20\r\n"));
    }

    @Test
    @DisplayName("4.7-mult-ip-in-header.sip")
    void multipleIpAddressesInHeaders() {
        // RFC: valid; IPv6 and IPv4 addresses side by side in the Via headers.
        SipRequest r = request("4.7-mult-ip-in-header.sip");
        List<Via> vias = r.vias();
        assertEquals(List.of("[2001:db8::9:1]", "192.0.2.1", "[2001:db8::9:255]"),
                vias.stream().map(v -> v.sentBy().host()).toList());
        assertEquals(OptionalInt.of(6050), vias.get(0).sentBy().port());
        assertEquals(6050, vias.get(0).responsePort());
        assertEquals("TCP", vias.get(2).transport());
        assertEquals("192.0.2.200", vias.get(2).responseHost(), "received wins over the IPv6 sent-by");
    }

    @Test
    @DisplayName("4.8-mult-ip-in-sdp.sip")
    void multipleIpAddressesInSdp() {
        // RFC: valid. Its Content-Length (181) is shorter than the 189-byte CRLF body, an error in the RFC: the
        // datagram is cut at Content-Length (RFC 3261 §18.3), which still keeps both c= lines.
        byte[] w = wire("4.8-mult-ip-in-sdp.sip");
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(w, cutAt(w, 181));
        assertEquals(181, r.bodyLength());
        String sdp = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(sdp.contains("c=IN IP4 192.0.2.1\r\n") && sdp.contains("c=IN IP6 2001:db8::1\r\n"), sdp);
        assertEquals("[2001:db8::9:1]", r.contacts().get(0).uri().host());
    }

    @Test
    @DisplayName("4.9-ipv4-mapped-ipv6.sip")
    void ipv4MappedIpv6Addresses() {
        // RFC: valid. Content-Length 236 counts LF line ends; the 245-byte CRLF body is cut to 236 (RFC 3261 §18.3).
        byte[] w = wire("4.9-ipv4-mapped-ipv6.sip");
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(w, cutAt(w, 236));
        assertEquals("[::ffff:192.0.2.10]", r.topVia().sentBy().host());
        assertEquals(OptionalInt.of(19823), r.topVia().sentBy().port());
        assertEquals("[::ffff:192.0.2.2]", r.vias().get(1).sentBy().host());
        assertEquals("T. desk phone", r.contacts().get(0).displayName().orElseThrow());
        assertEquals("[::ffff:192.0.2.2]", r.contacts().get(0).uri().host());
    }

    @Test
    @DisplayName("4.10-ipv6-bug-abnf-3-colons.sip")
    void threeColonsFromTheRfc3261AbnfBug() {
        // RFC: RFC 3261's ABNF admits "2001:db8:::192.0.2.1"; by the robustness principle it must be tolerated.
        SipRequest r = request("4.10-ipv6-bug-abnf-3-colons.sip");
        assertEquals("[2001:db8:::192.0.2.1]", r.requestUri().host());
        assertEquals("[2001:db8:::192.0.2.1]", r.to().uri().host());
    }

    @Test
    @DisplayName("4.10-ipv6-correct-abnf-2-colons.sip")
    void twoColonsAsTheCorrectedAbnfHasIt() {
        // RFC: valid; the correct form of the same address.
        SipRequest r = request("4.10-ipv6-correct-abnf-2-colons.sip");
        assertEquals("[2001:db8::192.0.2.1]", r.requestUri().host());
        assertEquals(Optional.of("user"), r.requestUri().user());
        // the AOR key spells an IPv6 reference one way (RFC 5952), so every spelling of the address is one AOR
        assertEquals("sip:user@[2001:db8::c000:201]", r.requestUri().addressOfRecord());
        assertTrue(r.requestUri().equivalent(SipUri.parse("sip:user@[2001:DB8:0:0:0:0:C000:201]")));
    }

    @Test
    @DisplayName("rfc5118/ holds the 12 messages of §4")
    void everyMessageHasAFile() {
        assertEquals(12, TortureMessages.list("rfc5118").size());
    }
}
