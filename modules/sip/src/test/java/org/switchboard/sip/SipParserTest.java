package org.switchboard.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SipParserTest {

    @Test
    void typicalInviteExposesItsRoutingKeysAndBody() {
        SipRequest invite = (SipRequest) Messages.parse(Messages.load("invite.sip"));
        assertEquals("INVITE", invite.method());
        assertEquals("sip:bob@example.com", invite.requestUriText());
        assertEquals("a84b4c76e66710@127.0.0.1", invite.callId());
        assertEquals(new CSeq(314159, "INVITE"), invite.cseq());
        assertEquals("z9hG4bK776asdhds", invite.topVia().branch().orElseThrow());
        assertTrue(invite.topVia().wantsRport());
        assertEquals("1928301774", invite.from().tag().orElseThrow());
        assertEquals("Alice \"A\" Liddell", invite.from().displayName().orElseThrow());
        assertTrue(invite.to().tag().isEmpty());
        assertEquals(OptionalInt.of(70), invite.maxForwards());
        assertEquals("kept   exactly", invite.header("x-custom-header").orElseThrow());
        String body = new String(invite.body(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("v=0\r\n") && body.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80"), body);
    }

    @Test
    void responseWithTwoViasOnOneLine() {
        SipResponse ok = (SipResponse) Messages.parse(Messages.load("ok.sip"));
        assertEquals(200, ok.status());
        assertEquals("OK", ok.reason());
        List<Via> vias = ok.vias();
        assertEquals(2, vias.size());
        assertEquals("z9hG4bKsbproxy1", vias.get(0).branch().orElseThrow());
        assertEquals(5070, vias.get(1).responsePort());
        assertEquals("a6c85cf", ok.to().tag().orElseThrow());
        assertEquals("sip:127.0.0.1:5060;lr", ok.recordRoutes().get(0).uri().toString());
    }

    @Test
    void compactFormsAnyCaseAndFoldedLinesAreTheSameHeaders() {
        SipRequest r = (SipRequest) Messages.parse(Messages.load("compact.sip"));
        assertEquals("compact-call-id", r.callId());
        assertEquals(List.of("TCP", "UDP"), r.vias().stream().map(Via::transport).toList());
        assertEquals(2, r.contacts().size());
        assertEquals("0.5", r.contacts().get(1).params().get("q").orElseThrow());
        assertEquals("a folded subject line", r.header("subject").orElseThrow());
        assertEquals(0, r.bodyLength());
    }

    @Test
    void rfc4475ShortTortuousInviteParses() {
        SipRequest r = (SipRequest) Messages.parse(Messages.load("tortuous.sip"));
        assertEquals("sip:vivekg@chair-dnrc.example.com;unknownparam", r.requestUriText());
        assertEquals("1918181833n", r.to().tag().orElseThrow());
        assertEquals("98asjd8", r.from().tag().orElseThrow());
        assertEquals("J Rosenberg \\\"", r.from().displayName().orElseThrow());
        assertEquals(OptionalInt.of(68), r.maxForwards());
        assertEquals(new CSeq(9, "INVITE"), r.cseq());
        assertEquals(3, r.vias().size());
        assertEquals("390skdjuw", r.topVia().branch().orElseThrow());
        assertEquals("z9hG4bK30239", r.vias().get(2).branch().orElseThrow());
        assertEquals("newfangled value continued newfangled value", r.header("newfangledheader").orElseThrow());
        assertEquals("0.33", r.contacts().get(0).params().get("q").orElseThrow());
        assertEquals("sip:services.example.com;lr;unknownwith=value;unknown-no-value", r.routes().get(0).uri().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"invite.sip", "ok.sip", "compact.sip", "tortuous.sip"})
    void untouchedMessagesRoundTripByteForByte(String file) {
        byte[] bytes = Messages.load(file);
        SipMessage m = Messages.parse(bytes);
        assertArrayEquals(bytes, m.bytes());
        assertEquals(m, Messages.parse(m.bytes()));
    }

    @Test
    void datagramShorterThanContentLengthIsMalformed() {
        byte[] bytes = Messages.load("invite.sip");
        ParseResult r = SipParser.parse(bytes, 0, bytes.length - 10);
        ParseError e = assertInstanceOf(ParseResult.Malformed.class, r).error();
        assertTrue(e.expected().contains("Content-Length"), e.toString());
    }

    @Test
    void datagramLongerThanContentLengthIsCutToIt() {
        byte[] bytes = Messages.load("ok.sip");
        byte[] padded = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, padded, 0, bytes.length);
        SipMessage m = Messages.parse(padded);
        assertEquals(0, m.bodyLength());
        assertArrayEquals(bytes, m.bytes());
    }

    @Test
    void missingCallIdIsMalformedAndSaysSo() {
        String text = "OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:x@y>;tag=1\nTo: <sip:a@b>\nCSeq: 1 OPTIONS\n\n";
        ParseError e = assertInstanceOf(ParseResult.Malformed.class, SipParser.parse(Messages.crlf(text))).error();
        assertEquals("Call-ID header", e.expected());
    }

    @Test
    void cseqMethodMustMatchTheRequestMethod() {
        String text = "BYE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:x@y>;tag=1\nTo: <sip:a@b>\nCall-ID: c\nCSeq: 1 INVITE\n\n";
        ParseError e = assertInstanceOf(ParseResult.Malformed.class, SipParser.parse(Messages.crlf(text))).error();
        assertTrue(e.expected().contains("CSeq method"), e.toString());
        assertTrue(e.offset() > 0, "offset points into the message");
    }

    @Test
    void garbageStartLineGivesAnOffsetAndWhatWasExpected() {
        ParseError e = assertInstanceOf(ParseResult.Malformed.class,
                SipParser.parse("INVITE  SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).error();
        assertEquals(7, e.offset(), "where the Request-URI should start");
        assertEquals("Request-URI with a scheme at byte 7", e.reason());
    }

    @Test
    void headerWithoutColonIsMalformedAtItsOffset() {
        String text = "OPTIONS sip:a@b SIP/2.0\r\nVia SIP/2.0/UDP h\r\n\r\n";
        ParseError e = assertInstanceOf(ParseResult.Malformed.class,
                SipParser.parse(text.getBytes(StandardCharsets.US_ASCII))).error();
        assertEquals(text.indexOf("Via") + 4, e.offset());
    }

    @Test
    void leadingCrlfsAreSkippedAndOtherVersionsParse() {
        String text = "OPTIONS sip:a@b SIP/3.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:x@y>;tag=1\nTo: <sip:a@b>\nCall-ID: c\nCSeq: 1 OPTIONS\n\n";
        SipRequest r = (SipRequest) Messages.parse(("\r\n\r\n" + text.replace("\n", "\r\n")).getBytes(StandardCharsets.US_ASCII));
        assertEquals("SIP/3.0", r.version());
    }

    @Test
    void headerNamesFoldCase() {
        assertEquals(HeaderNames.CALL_ID.key(), HeaderNames.canonical("i"));
        assertEquals(HeaderNames.VIA.key(), HeaderNames.canonical("VIA"));
        assertFalse(HeaderNames.isList("call-id"));
    }
}
