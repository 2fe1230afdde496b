package org.switchboard.sip.rfc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.sip.rfc.TortureMessages.malformed;
import static org.switchboard.sip.rfc.TortureMessages.offsetOf;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.switchboard.sip.ParseError;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;

/**
 * The messages of RFC 4475 §3.2 and §3.3 that touch the headers a proxy relies on (Via, From, To, Call-ID, CSeq,
 * Max-Forwards, Content-Length), and the header rules of RFC 3261 §7.3.1 and §16.3 around them. §3.1 is in
 * {@link Rfc4475ValidTest} and {@link Rfc4475InvalidTest}; what the edge answers is in the transport module's
 * {@code EdgeHeaderRulesTest}.
 */
class Rfc4475SemanticsTest {

    private static byte[] wire(String file) {
        return TortureMessages.load("rfc4475/semantics/" + file);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A plain request, with {@code extra} header lines inserted before Content-Length. */
    private static byte[] request(String extra) {
        return ascii("OPTIONS sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK776asdhds\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "From: <sip:alice@example.com>;tag=1928301774\r\n"
                + "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
                + "CSeq: 314159 OPTIONS\r\n"
                + extra
                + "Content-Length: 0\r\n\r\n");
    }

    @Test
    @DisplayName("3.2.1-badbranch.sip")
    void branchThatIsOnlyTheMagicCookie() {
        // RFC: a branch of just "z9hG4bK" is legal (the cookie followed by nothing); treat it as any other branch.
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(wire("3.2.1-badbranch.sip"));
        assertEquals(Optional.of("z9hG4bK"), r.topViaBranch());
    }

    @Test
    @DisplayName("3.3.1-insuf.sip")
    void missingRequiredHeaderFields() {
        // RFC: no From, To, Call-ID or Max-Forwards: respond 400 Bad Request.
        ParseError e = malformed(wire("3.3.1-insuf.sip"));
        assertEquals("From header", e.expected());
    }

    @Test
    @DisplayName("3.3.8-multi01.sip")
    void multipleValuesInSingleValueRequiredFields() {
        // RFC: multiple values in CSeq, Call-ID, To, From, Max-Forwards: respond 400 Bad Request. The first
        // conflict in header order (the second CSeq) is the one named.
        byte[] w = wire("3.3.8-multi01.sip");
        ParseError e = malformed(w);
        assertEquals("one CSeq header, not a second with another value", e.expected());
        assertEquals(offsetOf(w, "CSeq: 59 INVITE") + "CSeq: ".length(), e.offset());
    }

    @Test
    @DisplayName("3.3.9-mcl01.sip")
    void multipleContentLengthValues() {
        // RFC: respond with an error; over UDP discard the rest of the datagram (over a stream the framer closes the
        // connection: StreamFramerTest). Named before the body is checked against either value.
        byte[] w = wire("3.3.9-mcl01.sip");
        ParseError e = malformed(w);
        assertEquals("one Content-Length header, not a second with another value", e.expected());
        assertEquals(offsetOf(w, "Content-Length: 5") + "Content-Length: ".length(), e.offset());
    }

    @Test
    @DisplayName("3.3.11-zeromf.sip")
    void maxForwardsOfZero() {
        // RFC: a proxy responds 483 Too Many Hops (the edge does, EdgeHeaderRulesTest); the message is well formed.
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(wire("3.3.11-zeromf.sip"));
        assertEquals(OptionalInt.of(0), r.maxForwards());
    }

    @ParameterizedTest(name = "a second {0} with another value is a 400 naming it")
    @CsvSource(delimiter = '|', value = {
            "From | '' | From: <sip:mallory@example.com>;tag=1",
            "To | '' | t: <sip:carol@example.com>",
            "Call-ID | '' | i: other@pc33.example.com",
            "CSeq | '' | CSeq: 314160 OPTIONS",
            "Max-Forwards | '' | Max-Forwards: 69",
            "Content-Type | Content-Type: application/sdp | c: text/plain",
            "Expires | Expires: 60 | Expires: 61"})
    void conflictingSingletons(String name, String first, String second) {
        ParseError e = malformed(request((first.isEmpty() ? "" : first + "\r\n") + second + "\r\n"));
        assertEquals("one " + name + " header, not a second with another value", e.expected());
    }

    @Test
    @DisplayName("the same value twice has one meaning: accepted (RFC 3261 §7.3.1 forbids it, nothing is ambiguous)")
    void identicalDuplicatesAccepted() {
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(request(
                "Call-ID: a84b4c76e66710@pc33.example.com\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n"));
        assertEquals("a84b4c76e66710@pc33.example.com", r.callId());
    }

    @Test
    @DisplayName("list headers (Via, Route, Contact) and credentials may repeat")
    void listHeadersRepeat() {
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(request(
                "Route: <sip:p1.example.com;lr>\r\nRoute: <sip:p2.example.com;lr>\r\n"
                        + "Proxy-Authorization: Digest username=\"a\"\r\nProxy-Authorization: Digest username=\"b\"\r\n"));
        assertEquals(2, r.routes().size());
    }

    @ParameterizedTest(name = "Max-Forwards: {0} is a 400 naming it")
    @CsvSource(delimiter = '|', value = {"ten", "-1", "1 0", "0x10", "''"})
    void maxForwardsNotANumber(String value) {
        ParseError e = malformed(ascii(new String(request(""), StandardCharsets.UTF_8)
                .replace("Max-Forwards: 70", "Max-Forwards: " + value)));
        assertEquals("Max-Forwards digits", e.expected());
    }

    @Test
    @DisplayName("Max-Forwards folded onto the next line is still its digits (LWS after HCOLON)")
    void maxForwardsFolded() {
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(ascii(new String(request(""),
                StandardCharsets.UTF_8).replace("Max-Forwards: 70", "Max-Forwards:\r\n  70 ")));
        assertEquals(OptionalInt.of(70), r.maxForwards());
    }

    @Test
    @DisplayName("Max-Forwards over 255 is tolerated (RFC 4475 §3.1.2.4), read as it is")
    void maxForwardsLarge() {
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(ascii(new String(request(""),
                StandardCharsets.UTF_8).replace("Max-Forwards: 70", "Max-Forwards: 300")));
        assertEquals(OptionalInt.of(300), r.maxForwards());
    }

    @ParameterizedTest(name = "CSeq {0} is a 400 naming CSeq")
    @CsvSource({"-1", "2147483648", "99999999999999999999", "1.5", "+1"})
    void cseqOutOfRange(String number) {
        ParseError e = malformed(ascii(new String(request(""), StandardCharsets.UTF_8)
                .replace("CSeq: 314159 OPTIONS", "CSeq: " + number + " OPTIONS")));
        assertTrue(e.expected().startsWith("CSeq"), e.reason());
    }

    @Test
    @DisplayName("CSeq 2^31-1 is the largest accepted")
    void cseqLargest() {
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(ascii(new String(request(""),
                StandardCharsets.UTF_8).replace("CSeq: 314159", "CSeq: 2147483647")));
        assertEquals(2147483647L, r.cseqNumber());
    }

    @ParameterizedTest(name = "Call-ID \"{0}\" is a 400 naming it")
    @CsvSource(delimiter = '|', value = {"a84b 4c76@pc33", "a\u0001b@pc33", "a\u007fb@pc33", "a\tb@pc33"})
    void callIdOddCharacters(String value) {
        ParseError e = malformed(ascii(new String(request(""), StandardCharsets.UTF_8)
                .replace("a84b4c76e66710@pc33.example.com", value)));
        assertEquals("Call-ID without white space or control characters", e.expected());
    }

    @Test
    @DisplayName("Call-ID with the odd but legal word characters of RFC 3261, and base64's '=' and '/'")
    void callIdLegalOddCharacters() {
        for (String id : new String[] {"intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", "dGVzdA==/x+y"}) {
            SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(ascii(new String(request(""),
                    StandardCharsets.UTF_8).replace("a84b4c76e66710@pc33.example.com", id)));
            assertEquals(id, r.callId());
        }
    }

    @Test
    @DisplayName("a folded Call-ID holds white space once unfolded: a 400")
    void foldedCallId() {
        ParseError e = malformed(ascii(new String(request(""), StandardCharsets.UTF_8)
                .replace("a84b4c76e66710@pc33.example.com", "a84b4c76e66710\r\n @pc33.example.com")));
        assertEquals("Call-ID without white space or control characters", e.expected());
    }

    @Test
    @DisplayName("Via without a branch (RFC 2543) or without the magic cookie is accepted as it is")
    void viaWithoutCookie() {
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(ascii(new String(request(""),
                StandardCharsets.UTF_8).replace(";branch=z9hG4bK776asdhds", "")));
        assertEquals(Optional.empty(), r.topViaBranch());
        SipRequest old = (SipRequest) TortureMessages.parsesAndRoundTrips(ascii(new String(request(""),
                StandardCharsets.UTF_8).replace("z9hG4bK776asdhds", "776asdhds")));
        assertEquals(Optional.of("776asdhds"), old.topViaBranch());
    }

    @Test
    @DisplayName("Content-Length shorter than the body over UDP: the body is cut there (RFC 3261 §18.3)")
    void contentLengthShorterThanDatagram() {
        byte[] w = ascii(new String(request(""), StandardCharsets.UTF_8).replace("Content-Length: 0", "Content-Length: 2") + "hello");
        ParseResult.Parsed p = assertInstanceOf(ParseResult.Parsed.class, SipParser.parse(w));
        assertEquals("he", new String(p.message().body(), StandardCharsets.UTF_8));
    }
}
