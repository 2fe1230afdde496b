package org.switchboard.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class HeaderNameTest {
    /** RFC 3261 §7.3.3 and the extensions that registered a compact form. */
    private static final Map<String, HeaderName> COMPACT = Map.ofEntries(
            Map.entry("i", HeaderName.CALL_ID), Map.entry("m", HeaderName.CONTACT), Map.entry("f", HeaderName.FROM),
            Map.entry("t", HeaderName.TO), Map.entry("v", HeaderName.VIA), Map.entry("l", HeaderName.CONTENT_LENGTH),
            Map.entry("c", HeaderName.CONTENT_TYPE), Map.entry("e", HeaderName.CONTENT_ENCODING),
            Map.entry("k", HeaderName.SUPPORTED), Map.entry("s", HeaderName.SUBJECT), Map.entry("o", HeaderName.EVENT),
            Map.entry("r", HeaderName.REFER_TO), Map.entry("b", HeaderName.REFERRED_BY),
            Map.entry("x", HeaderName.SESSION_EXPIRES), Map.entry("u", HeaderName.ALLOW_EVENTS),
            Map.entry("a", HeaderName.ACCEPT_CONTACT), Map.entry("j", HeaderName.REJECT_CONTACT),
            Map.entry("d", HeaderName.REQUEST_DISPOSITION), Map.entry("y", HeaderName.IDENTITY),
            Map.entry("n", HeaderName.IDENTITY_INFO));

    @Test
    void everyCompactFormInEitherCaseIsItsLongForm() {
        COMPACT.forEach((letter, name) -> {
            assertSame(name, HeaderName.of(letter), letter);
            assertSame(name, HeaderName.of(letter.toUpperCase()), letter.toUpperCase());
        });
        assertEquals("Call-ID", HeaderName.of("i").display());
        assertEquals("call-id", HeaderName.of("I").key());
    }

    @Test
    void anyCaseOfAKnownNameIsTheOneConstant() {
        for (String spelling : List.of("Via", "via", "VIA", "vIa")) {
            assertSame(HeaderName.VIA, HeaderName.of(spelling), spelling);
        }
        assertSame(HeaderName.WWW_AUTHENTICATE, HeaderName.of("www-authenticate"));
        assertSame(HeaderName.CSEQ, HeaderName.of("CSEQ"));
        assertSame(HeaderName.MIN_SE, HeaderName.of("min-se"));
        assertSame(HeaderNames.VIA, HeaderName.VIA, "the old constants are the same names");
    }

    @Test
    void knownNamesDisplayTheirCanonicalSpelling() {
        assertEquals("Call-ID", HeaderName.of("call-id").toString());
        assertEquals("WWW-Authenticate", HeaderName.of("WWW-AUTHENTICATE").display());
        assertEquals("CSeq", HeaderName.of("cseq").display());
        assertEquals("MIME-Version", HeaderName.of("mime-version").display());
        assertEquals("RAck", HeaderName.of("RACK").display());
        assertTrue(HeaderName.of("CONTACT").isKnown());
    }

    @Test
    void unknownNamesKeepTheirSpellingAndCompareWithoutCase() {
        HeaderName mixed = HeaderName.of("X-Custom-Header");
        HeaderName lower = HeaderName.of("x-custom-header");
        assertEquals("X-Custom-Header", mixed.display());
        assertEquals("x-custom-header", lower.display());
        assertEquals("x-custom-header", mixed.key());
        assertEquals(mixed, lower);
        assertEquals(mixed.hashCode(), lower.hashCode());
        assertEquals("x-custom-header".hashCode(), mixed.hashCode(), "hash of the key");
        assertFalse(mixed.isKnown());
        assertFalse(mixed.isList());
        assertEquals(HeaderName.of("Z"), HeaderName.of("z"), "a letter with no compact meaning is just a name");
        assertEquals("Z", HeaderName.of("Z").display());
    }

    @Test
    void differentNamesDiffer() {
        assertNotEquals(HeaderName.ROUTE, HeaderName.RECORD_ROUTE);
        assertNotEquals(HeaderName.of("X-A"), HeaderName.of("X-B"));
        assertNotEquals(HeaderName.TO, HeaderName.of("t-"));
        assertNotEquals(HeaderName.VIA, "via", "not equal to its key as a String");
    }

    @Test
    void onlyAsciiLettersFold() {
        // String.equalsIgnoreCase folds U+0130 to 'i'; a header name is a token, so it is refused instead
        assertThrows(IllegalArgumentException.class, () -> HeaderName.of("V\u0130A"));
        assertThrows(IllegalArgumentException.class, () -> HeaderName.of("\u0130"));
    }

    @Test
    void aNameMustBeAToken() {
        for (String bad : List.of("", "Via:", "Call ID", "To\r\n", "(x)")) {
            assertThrows(IllegalArgumentException.class, () -> HeaderName.of(bad), bad);
        }
        assertEquals("x.y!%*_+`'~-z", HeaderName.of("X.Y!%*_+`'~-Z").key(), "every token character is allowed");
    }

    @Test
    void listHeadersAreTheSameAsBefore() {
        for (HeaderName list : List.of(HeaderName.VIA, HeaderName.CONTACT, HeaderName.ROUTE, HeaderName.RECORD_ROUTE,
                HeaderName.PATH, HeaderName.ALLOW, HeaderName.SUPPORTED, HeaderName.REQUIRE, HeaderName.PROXY_REQUIRE,
                HeaderName.UNSUPPORTED, HeaderName.ACCEPT, HeaderName.ACCEPT_ENCODING, HeaderName.ACCEPT_LANGUAGE,
                HeaderName.ALLOW_EVENTS, HeaderName.CONTENT_ENCODING, HeaderName.IN_REPLY_TO, HeaderName.SERVICE_ROUTE)) {
            assertTrue(list.isList(), list.display());
            assertTrue(HeaderNames.isList(list.key()), list.key());
        }
        assertFalse(HeaderName.CALL_ID.isList());
        assertFalse(HeaderName.WWW_AUTHENTICATE.isList(), "its value has commas inside one challenge");
    }

    @Test
    void knownNamesAreFoundWithoutAllocating() {
        // warm up, then count this thread's allocated bytes around a batch of lookups (HotSpot's counter)
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        String[] spellings = {"Via", "VIA", "v", "Call-ID", "i", "cseq", "WWW-Authenticate", "Record-Route"};
        long sink = 0;
        for (int round = 0; round < 20_000; round++) {
            sink += HeaderName.of(spellings[round % spellings.length]).hashCode();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 100_000; round++) {
            sink += HeaderName.of(spellings[round % spellings.length]).hashCode();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 10_000, "100,000 lookups allocated " + allocated + " bytes (" + sink + ")");
    }

    @Test
    void aMessageIsReadByAnySpellingOfAName() {
        SipMessage m = Messages.parse("OPTIONS sip:a@b SIP/2.0\nv: SIP/2.0/UDP h;branch=z9hG4bK1\nf: <sip:x@y>;tag=1\n"
                + "t: <sip:a@b>\ni: c1\nCSeq: 1 OPTIONS\nX-Thing: one\nx-thing: two\nSupported: a, b\n\n");
        assertEquals(Optional.of("c1"), m.header(HeaderName.CALL_ID));
        for (String spelling : List.of("Call-ID", "call-id", "CALL-ID", "i", "I")) {
            assertEquals(Optional.of("c1"), m.header(spelling), spelling);
        }
        assertEquals(List.of("one", "two"), m.headers(HeaderName.of("X-THING")));
        assertEquals(List.of("one", "two"), m.headers("x-thing"));
        assertEquals(List.of("a", "b"), m.headers(HeaderName.SUPPORTED), "a list header is split");
        assertEquals(Optional.empty(), m.header(HeaderName.RETRY_AFTER));
        List<HeaderName> names = m.headerFields().stream().map(HeaderField::name).toList();
        assertEquals(List.of(HeaderName.VIA, HeaderName.FROM, HeaderName.TO, HeaderName.CALL_ID, HeaderName.CSEQ,
                HeaderName.of("x-thing"), HeaderName.of("x-thing"), HeaderName.SUPPORTED), names);
        assertSame(HeaderName.VIA, names.get(0), "a compact form on the wire is the constant");
        assertEquals("X-Thing", names.get(5).display(), "an unknown name keeps its wire spelling");
    }

    @Test
    void theEditorAndBuildersTakeNamesAndWriteTheirDisplaySpelling() {
        SipRequest invite = (SipRequest) Messages.parse(Messages.load("invite.sip"));
        SipMessage edited = invite.edit()
                .prepend(HeaderName.RECORD_ROUTE, "<sip:p;lr>")
                .append(HeaderName.of("X-NEW"), "1")
                .set(HeaderName.MAX_FORWARDS, "69")
                .remove(HeaderName.of("x-custom-header"))
                .replaceFirstValue(HeaderName.VIA, "SIP/2.0/UDP x:1;branch=z9hG4bKx")
                .build();
        String text = new String(edited.bytes(), StandardCharsets.UTF_8);
        assertTrue(text.contains("Record-Route: <sip:p;lr>\r\n"), text);
        assertTrue(text.contains("X-NEW: 1\r\n"), text);
        assertTrue(text.contains("Max-Forwards: 69\r\n"), text);
        assertFalse(text.contains("X-Custom-Header"), text);
        assertEquals("z9hG4bKx", edited.topVia().branch().orElseThrow());
        SipMessage popped = edited.edit().removeFirstValue(HeaderName.VIA).prepend("v", "SIP/2.0/UDP c;branch=z9hG4bKc")
                .build();
        assertTrue(new String(popped.bytes(), StandardCharsets.UTF_8).contains("\r\nv: SIP/2.0/UDP c"),
                "a String name is written as given");
        assertEquals(List.of("z9hG4bKc"), popped.vias().stream().map(v -> v.branch().orElseThrow()).toList());

        byte[] viaName = invite.response(486, "Busy Here").header(HeaderName.RETRY_AFTER, "5").toBytes();
        assertTrue(new String(viaName, StandardCharsets.UTF_8).contains("\r\nRetry-After: 5\r\n"));
        byte[] viaString = invite.response(486, "Busy Here").header("Retry-After", "5").toBytes();
        assertArrayEquals(viaString, viaName);

        SipRequest bye = new RequestBuilder(Method.BYE, "sip:bob@example.com")
                .header(HeaderName.VIA, "SIP/2.0/UDP h;branch=z9hG4bKb").header(HeaderName.FROM, "<sip:a@b>;tag=1")
                .header(HeaderName.TO, "<sip:c@d>;tag=2").header(HeaderName.CALL_ID, "c").header(HeaderName.CSEQ, "2 BYE")
                .build();
        assertSame(Method.BYE, bye.methodType());
        assertTrue(bye.toString().contains("\r\nCall-ID: c\r\n"), bye.toString());
    }
}
