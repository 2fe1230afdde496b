package org.switchboard.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class MethodTest {
    private static final List<Method> KNOWN = List.of(Method.INVITE, Method.ACK, Method.BYE, Method.CANCEL,
            Method.REGISTER, Method.OPTIONS, Method.PRACK, Method.SUBSCRIBE, Method.NOTIFY, Method.PUBLISH,
            Method.INFO, Method.REFER, Method.MESSAGE, Method.UPDATE);

    @Test
    void knownMethodsAreTheirConstants() {
        for (Method m : KNOWN) {
            assertSame(m, Method.of(m.name()));
            assertSame(m, Method.of(new String(m.name().toCharArray())), "not by identity of the String");
            assertFalse(m.isExtension(), m.name());
            assertEquals(m.name(), m.toString());
        }
    }

    @Test
    void namesAreCaseSensitive() {
        Method lower = Method.of("invite");
        assertNotEquals(Method.INVITE, lower, "RFC 3261 §7.1: method names are case-sensitive");
        assertTrue(lower.isExtension());
        assertEquals("invite", lower.name());
    }

    @Test
    void extensionMethodsAreKeptByName() {
        Method a = Method.of("FOO-BAR");
        Method b = Method.of("FOO-BAR");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("FOO-BAR".hashCode(), a.hashCode());
        assertNotEquals(a, Method.of("FOO-BAZ"));
        assertTrue(a.isExtension());
        assertEquals("FOO-BAR", a.toString());
    }

    @Test
    void aMethodMustBeAToken() {
        for (String bad : List.of("", "IN VITE", "INVITE\r\n", "A:B", "\u00c9T\u00c9")) {
            assertThrows(IllegalArgumentException.class, () -> Method.of(bad), bad);
        }
    }

    @Test
    void isOneOf() {
        assertTrue(Method.ACK.isOneOf(Method.INVITE, Method.ACK));
        assertFalse(Method.BYE.isOneOf(Method.INVITE, Method.ACK));
        assertFalse(Method.BYE.isOneOf());
        assertTrue(Method.of("X").isOneOf(Method.INVITE, Method.of("X")));
        Methods dialog = Methods.of(Method.INVITE, Method.UPDATE, Method.of("X"));
        assertTrue(Method.UPDATE.isOneOf(dialog));
        assertTrue(Method.of("X").isOneOf(dialog));
        assertFalse(Method.of("x").isOneOf(dialog));
        assertFalse(Method.BYE.isOneOf(dialog));
    }

    @Test
    void aMethodSetKeepsTheFirstOrderAndWritesAnAllowValue() {
        Methods allow = Methods.parse("INVITE, ACK ,CANCEL,BYE, INVITE,OPTIONS,REGISTER, FOO");
        assertEquals("INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, FOO", allow.toString());
        assertEquals(7, allow.size());
        assertEquals(List.of(Method.INVITE, Method.ACK, Method.CANCEL, Method.BYE, Method.OPTIONS, Method.REGISTER,
                Method.of("FOO")), allow.asList());
        assertEquals(Methods.of(Method.of("FOO"), Method.REGISTER, Method.OPTIONS, Method.BYE, Method.CANCEL,
                Method.ACK, Method.INVITE), allow, "equality ignores order");
        assertEquals(Methods.of(Method.of("FOO"), Method.INVITE).hashCode(),
                Methods.of(Method.INVITE, Method.of("FOO")).hashCode());
        assertNotEquals(Methods.of(Method.INVITE), Methods.of(Method.INVITE, Method.ACK));
        assertTrue(Methods.parse(" ").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Methods.parse("INVITE,,BYE"));
        assertThrows(UnsupportedOperationException.class, () -> allow.asList().add(Method.BYE));
    }

    @Test
    void requestsAndCSeqGiveTheirMethod() {
        SipRequest invite = (SipRequest) Messages.parse(Messages.load("invite.sip"));
        assertSame(Method.INVITE, invite.methodType());
        assertEquals("INVITE", invite.method());
        assertSame(Method.INVITE, invite.cseqMethodType());
        assertSame(Method.INVITE, invite.cseq().methodType());

        SipRequest ext = (SipRequest) Messages.parse("FOO sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
                + "From: <sip:x@y>;tag=1\nTo: <sip:a@b>\nCall-ID: c\nCSeq: 7 FOO\n\n");
        assertEquals(Method.of("FOO"), ext.methodType());
        assertTrue(ext.methodType().isExtension());
        assertEquals(Method.of("FOO"), ext.cseqMethodType());
        assertEquals("FOO", ext.cseqMethod());

        // a CSeq the byte scanner leaves to the typed parser (folded) gives the same answers
        SipRequest folded = (SipRequest) Messages.parse("BYE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
                + "From: <sip:x@y>;tag=1\nTo: <sip:a@b>\nCall-ID: c\nCSeq: 8\n BYE\n\n");
        assertSame(Method.BYE, folded.cseqMethodType());
        assertEquals(new CSeq(8, Method.BYE), folded.cseq());
    }

    @Test
    void aLowerCaseMethodIsNotTheKnownOne() {
        // "invite" in both places is one extension method: the request is well formed, and not an INVITE
        SipRequest r = (SipRequest) Messages.parse("invite sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
                + "From: <sip:x@y>;tag=1\nTo: <sip:a@b>\nCall-ID: c\nCSeq: 1 invite\n\n");
        assertNotEquals(Method.INVITE, r.methodType());
        assertTrue(r.methodType().isExtension());
        // and a CSeq method that differs only in case does not match the request's
        ParseResult mismatch = SipParser.parse(Messages.crlf("INVITE sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
                + "From: <sip:x@y>;tag=1\nTo: <sip:a@b>\nCall-ID: c\nCSeq: 1 invite\n\n"));
        assertTrue(mismatch instanceof ParseResult.Malformed, mismatch.toString());
    }
}
