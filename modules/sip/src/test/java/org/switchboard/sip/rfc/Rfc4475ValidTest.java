package org.switchboard.sip.rfc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.CSeq;
import org.switchboard.sip.HeaderNames;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.Param;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.SipUri;
import org.switchboard.sip.Via;

/**
 * RFC 4475 §3.1.1, the valid messages: each parses, the values its section calls out read correctly, and the
 * untouched message writes back byte for byte.
 */
class Rfc4475ValidTest {

    private static byte[] wire(String file) {
        return TortureMessages.load("rfc4475/valid/" + file);
    }

    private static SipRequest request(String file) {
        return (SipRequest) TortureMessages.parsesAndRoundTrips(wire(file));
    }

    private static SipResponse response(String file) {
        return (SipResponse) TortureMessages.parsesAndRoundTrips(wire(file));
    }

    @Test
    @DisplayName("3.1.1.1-wsinv.sip")
    void shortTortuousInvite() {
        SipRequest r = request("3.1.1.1-wsinv.sip");
        assertEquals("INVITE", r.method());
        SipUri ruri = r.requestUri();
        assertEquals(Optional.of("vivekg"), ruri.user());
        assertEquals("chair-dnrc.example.com", ruri.host());
        assertEquals(Optional.of(""), ruri.params().get("unknownparam"), "unknown Request-URI parameter, no value");

        assertEquals(Optional.empty(), r.to().displayName());
        assertEquals(Optional.of("1918181833n"), r.to().tag());
        assertEquals("J Rosenberg \\\"", r.from().displayName().orElseThrow(), "escaped characters within quotes");
        assertEquals(Optional.of("98asjd8"), r.from().tag());
        assertEquals(OptionalInt.of(68), r.maxForwards(), "leading zeros");
        assertEquals("wsinv.ndaksdj@192.0.2.1", r.callId());
        assertEquals(new CSeq(9, "INVITE"), r.cseq(), "leading zeros, folded before the method");

        List<Via> vias = r.vias();
        assertEquals(List.of("390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"),
                vias.stream().map(v -> v.branch().orElseThrow()).toList(), "Via and v:, comma-separated and folded");
        assertEquals(List.of("UDP", "TCP", "UDP"), vias.stream().map(Via::transport).toList());
        assertEquals(List.of("192.0.2.2", "spindle.example.com", "192.168.255.111"),
                vias.stream().map(v -> v.sentBy().host()).toList());

        assertEquals(Optional.of(""), r.header("subject"), "an empty subject, compact form s");
        assertEquals(Optional.of("newfangled value continued newfangled value"), r.header("newfangledheader"));
        assertEquals(Optional.of(";;,,;;,;"), r.header("unknownheaderwithunusualvalue"), "kept as an opaque value");

        NameAddress contact = r.contacts().get(0);
        assertEquals(1, r.contacts().size());
        assertEquals("Quoted string \"\"", contact.displayName().orElseThrow());
        assertEquals(Optional.of("newvalue"), contact.params().get("newparam"), "LWS around '='");
        assertEquals(Optional.of(""), contact.params().get("secondparam"), "header parameter with no value");
        assertEquals(Optional.of("0.33"), contact.params().get("q"));

        SipUri route = r.routes().get(0).uri();
        assertTrue(route.params().has("lr"));
        assertEquals(Optional.of("value"), route.params().get("unknownwith"));
        assertEquals(Optional.of(""), route.params().get("unknown-no-value"), "uri parameter with no value");
        assertEquals(150, r.bodyLength());
    }

    @Test
    @DisplayName("3.1.1.2-intmeth.sip")
    void wideRangeOfValidCharacters() {
        SipRequest r = request("3.1.1.2-intmeth.sip");
        String method = "!interesting-Method0123456789_*+`.%indeed'~";
        assertEquals(method, r.method(), "'%' is no escape in a method");
        SipUri ruri = r.requestUri();
        assertEquals(Optional.of("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"), ruri.user(),
                "'?', ';' and ',' belong to the user part");
        assertEquals(Optional.of("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"), ruri.password());
        assertEquals("example.com", ruri.host());
        assertEquals("", ruri.headers());
        assertTrue(ruri.params().list().isEmpty());

        assertEquals(Optional.of("z9hG4bK-.!%66*_+`'~"), r.topVia().branch(), "every non-alphanum token character");
        assertEquals("BEL:\u0007 NUL:\u0000 DEL:\u007F", r.to().displayName().orElseThrow(), "quoted-pairs of raw bytes");
        assertEquals(Optional.of("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"), r.to().uri().user());

        NameAddress from = r.from();
        assertEquals("token1~` token2'+_ token3*%!.-", from.displayName().orElseThrow(), "unquoted tokens");
        assertEquals(Optional.of("\"работающий\""), from.params().get("fromParam''~+*_!.-%"), "UTF-8 quoted value");
        assertEquals(Optional.of("_token~1'+`*%!-."), from.tag());

        assertEquals("intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", r.callId(), "no escapes, quotes or grouping in word");
        assertEquals(new CSeq(139122385, method), r.cseq());
        assertEquals(OptionalInt.of(255), r.maxForwards());
        assertEquals(Optional.of("\uFEFF大停電"), r.header("extensionheader-!.%*+_`'~"));
        assertEquals(0, r.bodyLength());
    }

    @Test
    @DisplayName("3.1.1.3-esc01.sip")
    void validUseOfPercentEscaping() {
        SipRequest r = request("3.1.1.3-esc01.sip");
        assertEquals(Optional.of("sips%3Auser%40example.com"), r.requestUri().user());
        assertEquals("sips:user@example.com", SipUri.unescape(r.requestUri().user().orElseThrow()));
        assertEquals("example.net", r.requestUri().host());
        assertEquals("user", SipUri.unescape(r.to().uri().user().orElseThrow()));
        assertEquals("I have spaces", SipUri.unescape(r.from().uri().user().orElseThrow()));
        assertEquals("esc01.239409asdfakjkn23onasd0-3234", r.callId(), "compact i");
        assertEquals(Optional.of("application/sdp"), r.header(HeaderNames.CONTENT_TYPE), "compact C");

        SipUri contact = r.contacts().get(0).uri();
        assertEquals("caller", SipUri.unescape(contact.user().orElseThrow()));
        List<Param> params = contact.params().list();
        assertEquals(2, params.size());
        assertEquals("lr", SipUri.unescape(params.get(0).name()));
        assertEquals("name", SipUri.unescape(params.get(1).name()));
        assertEquals("value%41", SipUri.unescape(params.get(1).value().orElseThrow()),
                "unescaped once, never recursively: not valueA");
        assertEquals(150, r.bodyLength());
    }

    @Test
    @DisplayName("3.1.1.4-escnull.sip")
    void escapedNullsInUris() {
        SipRequest r = request("3.1.1.4-escnull.sip");
        assertEquals("null-\u0000-null", SipUri.unescape(r.to().uri().user().orElseThrow()));
        assertEquals("null-\u0000-null", SipUri.unescape(r.from().uri().user().orElseThrow()));
        assertEquals(Optional.of("839923423"), r.from().tag());
        List<String> users = r.contacts().stream().map(c -> SipUri.unescape(c.uri().user().orElseThrow())).toList();
        assertEquals(List.of("\u0000", "\u0000\u0000"), users, "two Contact lines, two different users");
        assertNotEquals(users.get(0), users.get(1));
        assertEquals(new CSeq(14398234, "REGISTER"), r.cseq());
        assertEquals(0, r.bodyLength(), "compact L:0 without a space");
    }

    @Test
    @DisplayName("3.1.1.5-esc02.sip")
    void percentWhereItIsNotAnEscape() {
        SipRequest r = request("3.1.1.5-esc02.sip");
        assertEquals("RE%47IST%45R", r.method(), "an unknown method, not REGISTER");
        assertEquals(new CSeq(29344, "RE%47IST%45R"), r.cseq());
        assertEquals("%Z%45", r.to().displayName().orElseThrow());
        assertEquals("%Z%45", r.from().displayName().orElseThrow());
        assertEquals(Optional.of("z9hG4bK209%fzsnel234"), r.topVia().branch());
        assertEquals(List.of("alias1", "alias3"),
                r.contacts().stream().map(c -> c.uri().user().orElseThrow()).toList(), "C%6Fntact is not Contact");
        assertEquals(Optional.of("<sip:alias2@host2.example.com>"), r.header("c%6fntact"));
    }

    @Test
    @DisplayName("3.1.1.6-lwsdisp.sip")
    void noLwsBetweenDisplayNameAndAngleBracket() {
        SipRequest r = request("3.1.1.6-lwsdisp.sip");
        assertEquals("caller", r.from().displayName().orElseThrow());
        assertEquals(Optional.of("caller"), r.from().uri().user());
        assertEquals(Optional.of("323"), r.from().tag());
        assertEquals("lwsdisp.1234abcd@funky.example.com", r.callId());
    }

    @Test
    @DisplayName("3.1.1.7-longreq.sip")
    void longValuesInHeaderFields() {
        SipRequest r = request("3.1.1.7-longreq.sip");
        NameAddress to = r.to();
        assertEquals("I have a user name of " + "extreme".repeat(10) + " proportion", to.displayName().orElseThrow());
        assertEquals(OptionalInt.of(6000), to.uri().port());
        assertEquals(Optional.of("very" + "long".repeat(20) + "value"), to.uri().params().get("unknownparam1"));
        assertEquals(Optional.of("shortvalue"), to.uri().params().get("longparam" + "name".repeat(25)));
        assertEquals(Optional.of(""), to.uri().params().get("very" + "long".repeat(25) + "ParameterNameWithNoValue"));

        NameAddress from = r.from();
        String caller = "amazinglylongcallername".repeat(5);
        assertEquals(Optional.of(caller), from.uri().user());
        assertEquals(Optional.of("12" + "982".repeat(50) + "424"), from.tag());
        assertEquals(Optional.of("unknowheaderparam" + "value".repeat(15)),
                from.params().get("unknownheaderparam" + "name".repeat(20)));
        assertTrue(from.params().has("unknownValueless" + "paramname".repeat(10)));

        assertEquals("longreq.one" + "really".repeat(20) + "longcallid", r.callId());
        assertEquals(new CSeq(3882340, "INVITE"), r.cseq());
        assertEquals(Optional.of("unknown-" + "long".repeat(20) + "-value; unknown-" + "long".repeat(20)
                        + "-parameter-name = unknown-" + "long".repeat(20) + "-parameter-value"),
                r.header("unknown-" + "long".repeat(20) + "-name"));

        List<Via> vias = r.vias();
        assertEquals(34, vias.size(), "Via, v, V and every case of via, with LWS before the colon");
        for (int i = 0; i < 33; i++) {
            assertEquals("sip" + (33 - i) + ".example.com", vias.get(i).sentBy().host());
        }
        Via last = vias.get(33);
        assertEquals(Optional.of("very" + "long".repeat(50) + "branchvalue"), last.branch());
        assertEquals(Optional.of("192.0.2.5"), last.received());
        assertEquals(Optional.of(caller), r.contacts().get(0).uri().user());
        assertEquals(150, r.bodyLength(), "compact l");
    }

    @Test
    @DisplayName("3.1.1.8-dblreq.sip")
    void extraTrailingOctetsInUdpDatagram() {
        byte[] datagram = wire("3.1.1.8-dblreq.sip");
        int invite = TortureMessages.offsetOf(datagram, "INVITE sip:joe@example.com");
        // the REGISTER's Content-Length: 0 ends it; the INVITE after it is surplus octets, dropped
        SipRequest r = (SipRequest) TortureMessages.parsesAndRoundTrips(datagram, invite);
        assertEquals("REGISTER", r.method());
        assertEquals("dblreq.0ha0isndaksdj99sdfafnl3lk233412", r.callId(), "compact I");
        assertEquals(0, r.bodyLength());
        assertEquals(invite, r.bytes().length);
    }

    @Test
    @DisplayName("3.1.1.9-semiuri.sip")
    void semicolonSeparatedParametersInUriUserPart() {
        SipRequest r = request("3.1.1.9-semiuri.sip");
        SipUri ruri = r.requestUri();
        assertEquals(Optional.of("user;par=u%40example.net"), ruri.user());
        assertEquals("user;par=u@example.net", SipUri.unescape(ruri.user().orElseThrow()));
        assertEquals("example.com", ruri.host());
        assertTrue(ruri.params().list().isEmpty(), "the ';' is in the user part: no URI parameters");
        assertEquals(List.of("application/sdp", "application/pkcs7-mime", "multipart/mixed", "multipart/signed",
                "message/sip", "message/sipfrag"), r.headers("accept"), "a folded list");
    }

    @Test
    @DisplayName("3.1.1.10-transports.sip")
    void variedAndUnknownTransportTypes() {
        SipRequest r = request("3.1.1.10-transports.sip");
        assertEquals(List.of("UDP", "SCTP", "TLS", "UNKNOWN", "TCP"), r.vias().stream().map(Via::transport).toList());
        assertEquals(List.of("t1.example.com", "t2.example.com", "t3.example.com", "t4.example.com", "t5.example.com"),
                r.vias().stream().map(v -> v.sentBy().host()).toList());
        assertEquals("transports.kijh4akdnaqjkwendsasfdj", r.callId());
    }

    @Test
    @DisplayName("3.1.1.11-mpart01.sip")
    void multipartMimeMessage() {
        SipRequest r = request("3.1.1.11-mpart01.sip");
        assertEquals("MESSAGE", r.method());
        assertEquals(553, r.bodyLength(), "framed by Content-Length, NUL bytes and all");
        byte[] body = r.body();
        int nuls = 0;
        for (byte b : body) {
            nuls += b == 0 ? 1 : 0;
        }
        assertTrue(nuls > 0, "the binary part carries NUL bytes");
        String tail = new String(body, body.length - 22, 22, StandardCharsets.US_ASCII);
        assertEquals("--7a9cbec02ceef655--\r\n", tail);
        assertEquals(Optional.of("multipart/mixed;boundary=7a9cbec02ceef655"), r.header(HeaderNames.CONTENT_TYPE));
        assertEquals(Optional.of("z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-"), r.topVia().branch());
        assertTrue(r.topVia().wantsRport());
        assertEquals(OptionalInt.of(5070), r.topVia().sentBy().port());
        assertEquals("3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..", r.callId());
    }

    @Test
    @DisplayName("3.1.1.12-unreason.sip")
    void unusualReasonPhrase() {
        SipResponse r = response("3.1.1.12-unreason.sip");
        assertEquals(200, r.status());
        assertEquals("= 2**3 * 5**2 но сто девяносто девять - простое", r.reason(), "UTF-8 reason phrase");
        assertEquals(new CSeq(35, "INVITE"), r.cseq());
        assertEquals(Optional.of("2229"), r.to().tag());
        assertEquals(154, r.bodyLength());
    }

    @Test
    @DisplayName("3.1.1.13-noreason.sip")
    void emptyReasonPhrase() {
        SipResponse r = response("3.1.1.13-noreason.sip");
        assertEquals(100, r.status());
        assertEquals("", r.reason());
        assertTrue(r.isProvisional());
        assertEquals("noreason.asndj203insdf99223ndf", r.callId());
        assertFalse(r.to().tag().isEmpty());
    }

    @Test
    @DisplayName("valid/ holds the 13 messages of §3.1.1")
    void everyMessageHasAFile() {
        assertEquals(13, TortureMessages.list("rfc4475/valid").size());
    }
}
