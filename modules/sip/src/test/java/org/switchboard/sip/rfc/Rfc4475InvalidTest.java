package org.switchboard.sip.rfc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.sip.rfc.TortureMessages.malformed;
import static org.switchboard.sip.rfc.TortureMessages.offsetOf;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.HeaderNames;
import org.switchboard.sip.ParseError;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.SipRequest;

/**
 * RFC 4475 §3.1.2, the invalid messages. Each test states the RFC's expectation in one line, then checks what
 * lets the edge (transport module, {@code Edge}/{@code MalformedReply}) meet it: a {@code Malformed} result
 * whose offset and expectation become the 400 reason phrase (responses are dropped instead), or, where the RFC
 * lets the element answer otherwise, the parsed message that answer is built from.
 */
class Rfc4475InvalidTest {

    private static byte[] wire(String file) {
        return TortureMessages.load("rfc4475/invalid/" + file);
    }

    /** The error points into the line that starts with {@code lineStart}, at or after {@code at} in it. */
    private static void pointsAt(byte[] wire, ParseError e, String lineStart, String at) {
        int line = offsetOf(wire, lineStart);
        int expected = line + lineStart.indexOf(at);
        assertEquals(expected, e.offset(), () -> e.reason() + " should point at '" + at + "' of " + lineStart);
    }

    @Test
    @DisplayName("3.1.2.1-badinv01.sip")
    void extraneousHeaderFieldSeparators() {
        // RFC: syntactically invalid (;;,;,, in Via, ;;;; in Contact); respond 400 Bad Request.
        byte[] w = wire("3.1.2.1-badinv01.sip");
        ParseError e = malformed(w);
        assertEquals("Via: parameter name", e.expected());
        assertEquals(offsetOf(w, "192.0.2.15;;") + "192.0.2.15;".length(), e.offset(), "the second ';' of the top Via");
    }

    @Test
    @DisplayName("3.1.2.2-clerr.sip")
    void contentLengthLargerThanMessage() {
        // RFC: over UDP (as here), respond 400 Bad Request; over a stream, wait for more data (the framer's job).
        byte[] w = wire("3.1.2.2-clerr.sip");
        ParseError e = malformed(w);
        assertEquals("body of 9999 bytes as Content-Length says", e.expected());
        assertEquals(w.length, e.offset(), "the datagram ended there");
    }

    @Test
    @DisplayName("3.1.2.3-ncl.sip")
    void negativeContentLength() {
        // RFC: respond with an error (400) and discard the rest of the datagram; never use the value as a count.
        byte[] w = wire("3.1.2.3-ncl.sip");
        ParseError e = malformed(w);
        assertEquals("Content-Length digits", e.expected());
        pointsAt(w, e, "Content-Length: -999", "-999");
    }

    @Test
    @DisplayName("3.1.2.4-scalar02.sip")
    void requestScalarFieldsWithOverlargeValues() {
        // RFC: respond 400 Bad Request because of the CSeq (> 2**32-1); the other overlarge fields alone could be tolerated.
        byte[] w = wire("3.1.2.4-scalar02.sip");
        ParseError e = malformed(w);
        assertEquals("CSeq number below 2^31", e.expected());
        int line = offsetOf(w, "CSeq: 36893488147419103232 REGISTER");
        assertTrue(e.offset() > line && e.offset() < line + 27, e.reason());
    }

    @Test
    @DisplayName("3.1.2.5-scalarlg.sip")
    void responseScalarFieldsWithOverlargeValues() {
        // RFC: an element receiving this response simply discards it (the edge drops a malformed response).
        byte[] w = wire("3.1.2.5-scalarlg.sip");
        ParseError e = malformed(w);
        assertEquals("CSeq number below 2^31", e.expected());
        int line = offsetOf(w, "CSeq: 9292394834772304023312 OPTIONS");
        assertTrue(e.offset() > line && e.offset() < line + 28, e.reason());
    }

    @Test
    @DisplayName("3.1.2.6-quotbal.sip")
    void unterminatedQuotedStringInDisplayName() {
        // RFC: respond 400 Bad Request (inferring the closing quote is allowed, but we do not guess).
        byte[] w = wire("3.1.2.6-quotbal.sip");
        ParseError e = malformed(w);
        assertTrue(e.expected().startsWith("To: closing '\"' of the display name"), e.reason());
        pointsAt(w, e, "To: \"Mr. J. User", "\"");
    }

    @Test
    @DisplayName("3.1.2.7-ltgtruri.sip")
    void angleBracketsEnclosingRequestUri() {
        // RFC: reasonable always to reject with 400 Bad Request (not 416: "<sip" is no scheme at all).
        byte[] w = wire("3.1.2.7-ltgtruri.sip");
        ParseError e = malformed(w);
        assertTrue(e.expected().startsWith("Request-URI: URI scheme"), e.reason());
        assertEquals(7, e.offset(), "the '<'");
    }

    @Test
    @DisplayName("3.1.2.8-lwsruri.sip")
    void embeddedLwsInRequestUri() {
        // RFC: respond 400 Bad Request (ignoring the LWS is allowed where unambiguous; we reject).
        byte[] w = wire("3.1.2.8-lwsruri.sip");
        ParseError e = malformed(w);
        assertEquals("no white space inside the Request-URI", e.expected());
        assertEquals("INVITE sip:user@example.com;".length(), e.offset(), "the SP before 'lr'");
    }

    @Test
    @DisplayName("3.1.2.9-lwsstart.sip")
    void multipleSpSeparatingRequestLineElements() {
        // RFC: acceptable to reject as malformed (400); a liberal element may ignore the extra SP.
        byte[] w = wire("3.1.2.9-lwsstart.sip");
        ParseError e = malformed(w);
        assertEquals("Request-URI with a scheme", e.expected());
        assertEquals("INVITE ".length(), e.offset(), "the second SP, where the Request-URI should start");
    }

    @Test
    @DisplayName("3.1.2.10-trws.sip")
    void spCharactersAtEndOfRequestLine() {
        // RFC: acceptable to reject as malformed (400); a liberal element may ignore the trailing SP.
        byte[] w = wire("3.1.2.10-trws.sip");
        ParseError e = malformed(w);
        assertEquals("CRLF right after SIP-Version, no SP", e.expected());
        assertEquals("OPTIONS sip:remote-target@example.com SIP/2.0".length(), e.offset());
    }

    @Test
    @DisplayName("3.1.2.11-escruri.sip")
    void escapedHeadersInRequestUri() {
        // RFC: acceptable to reject with 400 Bad Request (a liberal proxy must at least strip the headers).
        byte[] w = wire("3.1.2.11-escruri.sip");
        ParseError e = malformed(w);
        assertEquals("Request-URI without headers ('?')", e.expected());
        assertEquals("INVITE sip:user@example.com".length(), e.offset());
    }

    @Test
    @DisplayName("3.1.2.12-baddate.sip")
    void invalidTimeZoneInDateHeaderField() {
        // RFC: should respond 400, but may be liberal and ignore a Date it does not need; a proxy forwards it as is.
        byte[] w = wire("3.1.2.12-baddate.sip");
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(w);
        assertEquals(Optional.of("Fri, 01 Jan 2010 16:00:00 EST"), r.header("date"), "opaque to a proxy, forwarded unchanged");
        assertEquals(150, r.bodyLength());
    }

    @Test
    @DisplayName("3.1.2.13-regbadct.sip")
    void nameAddrUriNotInAngleBrackets() {
        // RFC: reasonable to respond 400 Bad Request; the registrar reads Contact and answers 400 on its error.
        byte[] w = wire("3.1.2.13-regbadct.sip");
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(w);
        assertEquals("REGISTER", r.method());
        SipParseException e = assertThrows(SipParseException.class, r::contacts);
        assertEquals("'<' '>' around a URI that holds '?'", e.error().expected());
        assertEquals("sip:user@example.com".length(), e.error().offset(), "the '?' in the Contact value");
    }

    @Test
    @DisplayName("3.1.2.14-badaspec.sip")
    void spacesWithinAddrSpec() {
        // RFC: reasonable to reject with 400 Bad Request; parsers must not break.
        byte[] w = wire("3.1.2.14-badaspec.sip");
        ParseError e = malformed(w);
        assertEquals("To: URI right inside '<' and '>'", e.expected());
        pointsAt(w, e, "To: \"Watson, Thomas\" < sip:", " sip:");
    }

    @Test
    @DisplayName("3.1.2.15-baddn.sip")
    void nonTokenCharactersInDisplayName() {
        // RFC: reasonable always to reject with 400 Bad Request ("Bell, Alexander" needs quotes).
        byte[] w = wire("3.1.2.15-baddn.sip");
        ParseError e = malformed(w);
        assertEquals("From: display name of tokens, or quoted", e.expected());
        pointsAt(w, e, "From:    Bell, Alexander", ",");
    }

    @Test
    @DisplayName("3.1.2.16-badvers.sip")
    void unknownProtocolVersion() {
        // RFC: respond 505 Version Not Supported; the edge does so when version() is not SIP/2.0.
        byte[] w = wire("3.1.2.16-badvers.sip");
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(w);
        assertEquals("SIP/7.0", r.version());
        String reply = new String(r.response(505, "Version Not Supported").toBytes(), StandardCharsets.UTF_8);
        assertTrue(reply.startsWith("SIP/2.0 505 Version Not Supported\r\n"), reply);
        assertTrue(reply.contains("Via: SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw\r\n"), reply);
        assertTrue(reply.contains("Call-ID: badvers.31417@c.example.com\r\n"), reply);
        assertEquals(Optional.of("1 OPTIONS"), r.header(HeaderNames.CSEQ));
    }

    @Test
    @DisplayName("3.1.2.17-mismatch01.sip")
    void startLineAndCseqMethodMismatch() {
        // RFC: any element receiving this request responds 400 Bad Request.
        byte[] w = wire("3.1.2.17-mismatch01.sip");
        ParseError e = malformed(w);
        assertEquals("CSeq method matching the request method OPTIONS", e.expected());
        pointsAt(w, e, "CSeq: 8 INVITE", "8");
    }

    @Test
    @DisplayName("3.1.2.18-mismatch02.sip")
    void unknownMethodWithCseqMethodMismatch() {
        // RFC: respond 501 Not Implemented; 400 Bad Request is also acceptable (what the edge sends for Malformed).
        byte[] w = wire("3.1.2.18-mismatch02.sip");
        ParseError e = malformed(w);
        assertEquals("CSeq method matching the request method NEWMETHOD", e.expected());
        pointsAt(w, e, "CSeq: 8 INVITE", "8");
    }

    @Test
    @DisplayName("3.1.2.19-bigcode.sip")
    void overlargeResponseCode() {
        // RFC: an element receiving this response simply drops it (the edge drops a malformed response).
        byte[] w = wire("3.1.2.19-bigcode.sip");
        ParseError e = malformed(w);
        assertEquals("SP after the three-digit Status-Code", e.expected());
        assertEquals("SIP/2.0 429".length(), e.offset(), "the fourth digit");
    }

    @Test
    @DisplayName("invalid/ holds the 19 messages of §3.1.2")
    void everyMessageHasAFile() {
        assertEquals(19, TortureMessages.list("rfc4475/invalid").size());
    }
}
