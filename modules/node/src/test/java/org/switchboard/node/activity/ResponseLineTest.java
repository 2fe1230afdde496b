package org.switchboard.node.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ResponseLineTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void readsTheStatusOfResponsesOnly() {
        assertEquals(486, ResponseLine.status(b("SIP/2.0 486 Busy Here\r\n\r\n")));
        assertEquals(0, ResponseLine.status(b("INVITE sip:a@b SIP/2.0\r\n\r\n")));
        assertEquals(0, ResponseLine.status(b("SIP/2.0 4x6 Odd\r\n\r\n")));
        assertEquals(0, ResponseLine.status(b("SIP/2.0 ")));
    }

    @Test
    void findsCSeqAndCallIdInAnyCaseAndCompactForm() {
        byte[] m = b("SIP/2.0 200 OK\r\nvia: SIP/2.0/UDP h;branch=z9hG4bKx\r\n"
                + "Subject: call-id: not this one\r\n i: nor a folded line\r\n"
                + "cseq  :  7   INVITE\r\ni :  abc@host \r\n\r\nCall-ID: in the body\r\n");
        assertTrue(ResponseLine.isInvite(m));
        assertEquals(Optional.of("abc@host"), ResponseLine.callId(m));
        assertFalse(ResponseLine.isInvite(b("SIP/2.0 200 OK\r\nCSeq: 7 INVITEX\r\n\r\n")));
        assertFalse(ResponseLine.isInvite(b("SIP/2.0 200 OK\r\nCSeq: 7 BYE\r\n\r\n")));
        assertFalse(ResponseLine.isInvite(b("SIP/2.0 200 OK\r\n\r\nCSeq: 7 INVITE\r\n")), "the body is not a header");
        assertEquals(Optional.empty(), ResponseLine.callId(b("SIP/2.0 200 OK\r\nCall-Info: <x>\r\n\r\n")));
        assertEquals(Optional.of("x"), ResponseLine.callId(b("SIP/2.0 200 OK\nCALL-ID:x")));
    }

    @Test
    void namesTheCSeqMethodByItsIndexAndAnyOtherByTheSlotAfterTheLast() {
        byte[][] methods = {b("INVITE"), b("BYE"), b("REGISTER")};
        assertEquals(0, ResponseLine.cseqMethod(b("SIP/2.0 200 OK\r\ncseq  :  7   INVITE\r\n\r\n"), methods));
        assertEquals(2, ResponseLine.cseqMethod(b("SIP/2.0 401 Unauthorized\r\nCSeq: 1 REGISTER\r\n\r\n"), methods));
        assertEquals(1, ResponseLine.cseqMethod(b("SIP/2.0 200 OK\r\nCSeq: 2 BYE"), methods), "at the end of the bytes");
        assertEquals(3, ResponseLine.cseqMethod(b("SIP/2.0 200 OK\r\nCSeq: 2 BYES\r\n\r\n"), methods));
        assertEquals(3, ResponseLine.cseqMethod(b("SIP/2.0 200 OK\r\nCSeq: 2 invite\r\n\r\n"), methods),
                "method names are case-sensitive");
        assertEquals(3, ResponseLine.cseqMethod(b("SIP/2.0 200 OK\r\n\r\nCSeq: 2 BYE\r\n"), methods), "no CSeq header");
    }
}
