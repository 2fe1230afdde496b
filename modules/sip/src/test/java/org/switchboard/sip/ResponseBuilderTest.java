package org.switchboard.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 3261 §8.2.6.2: what a response copies from its request. */
class ResponseBuilderTest {
    private final SipRequest invite = (SipRequest) ((SipRequest) Messages.parse(Messages.load("invite.sip")))
            .edit().prepend("Via", "SIP/2.0/UDP proxy:5060;branch=z9hG4bKp").build();

    @Test
    void copiesViasInOrderFromCallIdCseqAndTagsTo() {
        SipResponse r = invite.response(486, "Busy Here").toTag("t1").header("Retry-After", "30").build();
        assertEquals(486, r.status());
        assertEquals("Busy Here", r.reason());
        assertEquals(invite.vias(), r.vias());
        assertEquals(invite.header("from"), r.header("from"));
        assertEquals(invite.callId(), r.callId());
        assertEquals(invite.cseq(), r.cseq());
        assertEquals("t1", r.to().tag().orElseThrow());
        assertEquals("30", r.header("retry-after").orElseThrow());
        assertEquals("0", r.header("content-length").orElseThrow());
    }

    @Test
    void trying100HasNoToTagAndAnExistingTagIsKept() {
        assertTrue(invite.response(100, "Trying").toTag("t1").build().to().tag().isEmpty());
        SipRequest tagged = (SipRequest) invite.edit().set("To", "<sip:bob@example.com>;tag=orig").build();
        assertEquals("orig", tagged.response(200, "OK").toTag("t1").build().to().tag().orElseThrow());
    }

    @Test
    void reasonPhraseCannotBreakTheStatusLine() {
        SipResponse r = invite.response(400, "Bad\r\nInjected: yes").build();
        assertTrue(r.header("injected").isEmpty());
    }
}
