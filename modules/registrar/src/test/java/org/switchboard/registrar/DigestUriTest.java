package org.switchboard.registrar;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The digest uri must name the Request-URI (RFC 2617 §3.2.2.5): the same text, or an equal URI by RFC 3261 §19.1.4. */
class DigestUriTest {
    @Test
    void equalByRfc3261() {
        assertTrue(DigestCheck.sameResource("sip:bob@example.com", "sip:bob@example.com"));
        assertTrue(DigestCheck.sameResource("sip:%62ob@EXAMPLE.com;Transport=UDP", "sip:bob@example.com;transport=udp"));
        assertTrue(DigestCheck.sameResource("sip:bob@example.com;lr", "sip:bob@example.com"), "lr in one only: ignored");
    }

    @Test
    void differentResources() {
        assertFalse(DigestCheck.sameResource("sip:Bob@example.com", "sip:bob@example.com"), "user case counts");
        assertFalse(DigestCheck.sameResource("sip:bob@example.com:5060", "sip:bob@example.com"), "port absent is not 5060");
        assertFalse(DigestCheck.sameResource("sip:bob@example.com;transport=tcp", "sip:bob@example.com"));
        assertFalse(DigestCheck.sameResource("sips:bob@example.com", "sip:bob@example.com"));
        assertFalse(DigestCheck.sameResource("not a uri", "sip:bob@example.com"));
    }
}
