package org.switchboard.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The allocation-free readers ({@code callIdHash}, {@code topViaBranch*}, {@code toTag*}, {@code cseqNumber},
 * {@code cseqMethod}, {@code requestUri*}) read plain values from the bytes and hand anything else to the typed
 * parsers: either way they must answer exactly what the typed accessors answer, and a message the byte scanners
 * accept must be one the typed parsers accept.
 */
class RoutingKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"invite.sip", "ok.sip", "compact.sip", "tortuous.sip"})
    void testMessagesReadTheSameBothWays(String file) {
        assertSameKeys(Messages.parse(Messages.load(file)));
    }

    @Test
    void plainValuesAreReadFromTheBytes() {
        SipRequest r = (SipRequest) Messages.parse("""
                INVITE sip:bob@example.com SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.10:5060;rport;BRANCH=z9hG4bK1;branch=z9hG4bK2
                To: Bob <sip:bob@example.com>;tag=t1
                From: "Alice" <sip:alice@example.com>;tag=f1
                Call-ID: c1@example.com
                CSeq: 7 INVITE

                """);
        assertTrue(r.callIdEquals("c1@example.com"));
        assertEquals("c1@example.com".hashCode(), r.callIdHash());
        assertEquals("z9hG4bK1", r.topViaBranch().orElseThrow(), "the first branch parameter, name in any case");
        assertTrue(r.topViaBranchEquals("z9hG4bK1"));
        assertEquals("t1", r.toTag().orElseThrow());
        assertTrue(r.hasToTag());
        assertEquals(7, r.cseqNumber());
        assertEquals("INVITE", r.cseqMethod());
        assertTrue(r.requestUriEquals("sip:bob@example.com"));
        assertSameKeys(r);
    }

    @Test
    void unusualShapesGoThroughTheTypedParsers() {
        SipMessage m = Messages.parse("""
                OPTIONS sip:a@[2001:db8::1] SIP/2.0
                v: SIP/2.0/UDP [2001:db8::2]:5060 ; branch = "z9hG4bKq"
                t: sip:a@b;tag=x
                f: "J \\"R\\"" <sip:x@y>;tag=1
                i: caf\u00e9
                CSeq: 9
                 OPTIONS

                """);
        assertEquals("x", m.toTag().orElseThrow());
        assertEquals("café".hashCode(), m.callIdHash());
        assertEquals(9, m.cseqNumber());
        assertSameKeys(m);
    }

    @Test
    void noToTagReadsAsEmpty() {
        SipMessage m = Messages.parse(Messages.load("invite.sip"));
        assertFalse(m.hasToTag());
        assertEquals(0, m.toTagHash());
        assertTrue(m.toTag().isEmpty());
    }

    /** Random edits of plain headers: wherever the message parses, both ways of reading agree. */
    @Test
    void randomlyEditedHeadersReadTheSameBothWays() {
        Random random = new Random(4475);
        String[] vias = {"SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776;rport", "SIP/2.0/TCP h;branch=", "sip/2.0/udp h:0;BRANCH=x",
                "SIP/2.0/UDP h;branch=a,SIP/2.0/UDP g", "SIP/2.0/UDP h;received=[::1];branch=z", "SIP/2.0/UDP h;branch"};
        String[] addresses = {"Bob <sip:bob@example.com>", "\"Alice\" <sip:alice@example.com>;tag=19283", "<sip:x@y>;tag=1",
                "sip:a@b;tag=x", "<sip:u:p@b:5060;lr>;tag=3", "<sips:u@b>;TAG=q;tag=r", "<sip:a;x@b>;tag=2"};
        String[] cseqs = {"314159 INVITE", "2147483647 INVITE", "1\tINVITE", "0012345678 INVITE"};
        String[] uris = {"sip:bob@example.com", "sips:a@b:5061;lr", "sip:b", "tel:+1", "sip:a:b@c", "sip:user;par=x@b"};
        int parsed = 0;
        for (int n = 0; n < 20_000; n++) {
            String text = "INVITE " + edit(random, pick(random, uris)) + " SIP/2.0\n"
                    + "Via: " + edit(random, pick(random, vias)) + "\n"
                    + "To: " + edit(random, pick(random, addresses)) + "\n"
                    + "From: " + edit(random, pick(random, addresses)) + "\n"
                    + "Call-ID: " + edit(random, "a84b4c76e66710@pc33.example.com") + "\n"
                    + "CSeq: " + edit(random, pick(random, cseqs)) + "\n\n";
            if (SipParser.parse(Messages.crlf(text)) instanceof ParseResult.Parsed p) {
                parsed++;
                assertSameKeys(p.message());
            }
        }
        assertTrue(parsed > 2_000, "enough of them parse to mean something: " + parsed);
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String edit(Random random, String value) {
        if (random.nextInt(4) != 0) {
            return value;
        }
        StringBuilder sb = new StringBuilder(value);
        String chars = " \t;=,:@<>\"\\?[]/.-_aZ0%\u00e9";
        int at = random.nextInt(sb.length() + 1);
        char c = chars.charAt(random.nextInt(chars.length()));
        switch (random.nextInt(3)) {
            case 0 -> sb.insert(at, c);
            case 1 -> sb.deleteCharAt(Math.min(at, sb.length() - 1));
            default -> sb.setCharAt(Math.min(at, sb.length() - 1), c);
        }
        return sb.toString();
    }

    private static void assertSameKeys(SipMessage m) {
        String text = m.toString();
        assertEquals(read(() -> m.callId().hashCode()), read(m::callIdHash), text);
        assertEquals(read(() -> m.topVia().branch()), read(m::topViaBranch), text);
        assertEquals(read(() -> m.topVia().branch().orElse("").hashCode()), read(m::topViaBranchHash), text);
        assertEquals(read(() -> m.to().tag()), read(m::toTag), text);
        assertEquals(read(() -> m.to().tag().orElse("").hashCode()), read(m::toTagHash), text);
        assertEquals(read(() -> m.to().tag().isPresent()), read(m::hasToTag), text);
        assertEquals(read(() -> m.cseq().number()), read(m::cseqNumber), text);
        assertEquals(read(() -> m.cseq().method()), read(m::cseqMethod), text);
        if (m instanceof SipRequest r) {
            assertEquals(r.requestUriText().hashCode(), r.requestUriHash(), text);
            assertTrue(r.requestUriEquals(r.requestUriText()), text);
            assertEquals(read(() -> SipUri.parse(r.requestUriText())), read(r::requestUri), text);
        }
    }

    /** The value, or the error the typed accessor gave: both readers must fail alike on a header they cannot read. */
    private static List<Object> read(Supplier<?> reader) {
        List<Object> out = new ArrayList<>(1);
        try {
            out.add(reader.get());
        } catch (SipParseException e) {
            out.add(e.error());
        }
        return out;
    }
}
