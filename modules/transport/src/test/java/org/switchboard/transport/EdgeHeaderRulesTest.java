package org.switchboard.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.Branches;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.framing.FramingLimits;
import org.switchboard.transport.api.Peer;

/**
 * What the edge answers for the header rules of RFC 3261 §7.3.1 and §16.3 and the RFC 4475 messages on them
 * (the parser's side is the sip module's {@code Rfc4475SemanticsTest}): a 400 whose reason names the header, a
 * 483, or the request routed on.
 */
class EdgeHeaderRulesTest {
    private final Edge edge = new Edge(new TransportSettings("127.0.0.1", 5060, "127.0.0.1", 5060,
            FramingLimits.DEFAULT, 1 << 20, 65535), new Branches("secret"));

    /** RFC 4475 §3.3.8 (multi01). */
    private static final String MULTI01 = """
            INVITE sip:user@company.com SIP/2.0
            Contact: <sip:caller@host25.example.net>
            Via: SIP/2.0/UDP 192.0.2.25;branch=z9hG4bKkdjuw
            Max-Forwards: 70
            CSeq: 5 INVITE
            Call-ID: multi01.98asdh@192.0.2.1
            CSeq: 59 INVITE
            Call-ID: multi01.98asdh@192.0.2.2
            From: sip:caller@example.com;tag=3413415
            To: sip:user@example.com
            To: sip:other@example.net
            From: sip:caller@example.net;tag=2923420123
            Content-Type: application/sdp
            l: 154
            Contact: <sip:caller@host36.example.net>
            Max-Forwards: 5

            v=0
            o=mhandley 29739 7272939 IN IP4 192.0.2.25
            s=-
            c=IN IP4 192.0.2.25
            t=0 0
            m=audio 49217 RTP/AVP 0 12
            m=video 3227 RTP/AVP 31
            a=rtpmap:31 LPC
            """;

    /** RFC 4475 §3.3.9 (mcl01). */
    private static final String MCL01 = """
            OPTIONS sip:user@example.com SIP/2.0
            Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bK293423
            To: sip:user@example.com
            From: sip:other@example.net;tag=3923942
            Call-ID: mcl01.fhn2323orihawfdoa3o4r52o3irsdf
            CSeq: 15932 OPTIONS
            Content-Length: 13
            Max-Forwards: 60
            Content-Length: 5
            Content-Type: text/plain

            There's no way to know how many octets are supposed to be here.
            """;

    /** RFC 4475 §3.3.11 (zeromf). */
    private static final String ZEROMF = """
            OPTIONS sip:user@example.com SIP/2.0
            To: sip:user@example.com
            From: sip:caller@example.net;tag=3ghsd41
            Call-ID: zeromf.jfasdlfnm2o2l43r5u0asdfas
            CSeq: 39234321 OPTIONS
            Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bKkdjuw2349i
            Max-Forwards: 0
            Content-Length: 0

            """;

    /** RFC 4475 §3.3.5 (bext01). */
    private static final String BEXT01 = """
            OPTIONS sip:user@example.com SIP/2.0
            To: sip:j_user@example.com
            From: sip:caller@example.net;tag=242etr
            Max-Forwards: 6
            Call-ID: bext01.0ha0isndaksdj
            Require: nothingSupportsThis, nothingSupportsThisEither
            Proxy-Require: noProxiesSupportThis, norDoAnyProxiesSupportThis
            CSeq: 8 OPTIONS
            Via: SIP/2.0/TCP fold-and-staple.example.com;branch=z9hG4bKkdjuw
            Content-Length: 0

            """;

    @Test
    void proxyRequireWeDoNotUnderstandIs420ListingItRequireIsNotOursToJudge() {
        // RFC 4475 §3.3.5: a proxy answers 420 with Unsupported naming the Proxy-Require tags (RFC 3261 §16.3 step 5)
        String r = reply(BEXT01);
        assertTrue(r.startsWith("SIP/2.0 420 Bad Extension\r\n"), r);
        assertTrue(r.contains("\r\nUnsupported: noProxiesSupportThis, norDoAnyProxiesSupportThis\r\n"), r);
        assertTrue(!r.contains("nothingSupportsThis"), "Require is for the UAS: " + r);
        assertInstanceOf(EdgeDecision.Route.class, inspect(BEXT01.replace(
                "Proxy-Require: noProxiesSupportThis, norDoAnyProxiesSupportThis\n", "")), "Require alone is routed on");
        assertInstanceOf(EdgeDecision.Route.class, inspect(BEXT01.replace("OPTIONS", "ACK")),
                "an ACK is never answered: it goes on to its transaction");
    }

    @Test
    void multipleValuesInSingleValueFieldsAre400NamingTheFirstAndTheAnswerParses() {
        String r = reply(MULTI01);
        assertTrue(r.startsWith("SIP/2.0 400 Bad Request - one CSeq header, not a second with another value at byte "), r);
        assertEquals(1, count(r, "\r\nCall-ID: "), "one Call-ID copied, the first: " + r);
        assertEquals(1, count(r, "\r\nCSeq: "), r);
        assertEquals(1, count(r, "\r\nFrom: "), r);
        assertEquals(1, count(r, "\r\nTo: "), r);
        assertTrue(r.contains("Call-ID: multi01.98asdh@192.0.2.1\r\n"), r);
        assertInstanceOf(ParseResult.Parsed.class, SipParser.parse(r.getBytes(StandardCharsets.UTF_8)),
                "the client can read the 400");
    }

    @Test
    void twoContentLengthsAre400NamingIt() {
        assertTrue(reply(MCL01).startsWith("SIP/2.0 400 Bad Request - one Content-Length header, not a second with"
                + " another value at byte "), reply(MCL01));
    }

    @Test
    void maxForwardsZeroIs483() {
        assertTrue(reply(ZEROMF).startsWith("SIP/2.0 483 Too Many Hops\r\n"), reply(ZEROMF));
    }

    @Test
    void maxForwardsNotANumberIs400NamingIt() {
        String r = reply(ZEROMF.replace("Max-Forwards: 0", "Max-Forwards: seventy"));
        assertTrue(r.startsWith("SIP/2.0 400 Bad Request - Max-Forwards digits at byte "), r);
    }

    @Test
    void theSameValueTwiceIsRoutedOn() {
        String twice = ZEROMF.replace("Max-Forwards: 0", "Max-Forwards: 70\r\nCall-ID: zeromf.jfasdlfnm2o2l43r5u0asdfas");
        assertInstanceOf(EdgeDecision.Route.class, inspect(twice));
    }

    @Test
    void optionsToTheNodeByAddressNotByUriComparison() {
        // §16.4 "indicates this proxy" is about addresses: no port means the transport's default port
        String noPort = ZEROMF.replace("Max-Forwards: 0", "Max-Forwards: 70").replace("OPTIONS sip:user@example.com", "OPTIONS sip:127.0.0.1");
        assertTrue(reply(noPort).startsWith("SIP/2.0 200 OK"), reply(noPort));
        assertInstanceOf(EdgeDecision.Route.class, inspect(noPort.replace("OPTIONS sip:127.0.0.1", "OPTIONS sip:127.0.0.1;transport=tls")),
                "5061 is not our port");
        assertInstanceOf(EdgeDecision.Route.class, inspect(noPort.replace("OPTIONS sip:127.0.0.1", "OPTIONS sips:127.0.0.1")));
    }

    private EdgeDecision inspect(String text) {
        byte[] b = text.replace("\n", "\r\n").replace("\r\r\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        return edge.inspect(b, 0, b.length, new Peer("192.0.2.25", 5060));
    }

    private String reply(String text) {
        return new String(assertInstanceOf(EdgeDecision.Reply.class, inspect(text)).response(), StandardCharsets.UTF_8);
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
