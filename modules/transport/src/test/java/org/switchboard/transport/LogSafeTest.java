package org.switchboard.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void aLineBreakOrSpaceFromTheNetworkCannotStartOrShiftALine() {
        String forged = "sip:x@y\n2026-12-06T12:00:00.000Z WARN  o.s.t.s.Bans - SECURITY ban source=192.0.2.99";
        String safe = LogSafe.text(forged);
        assertFalse(safe.contains("\n") || safe.contains(" "), safe);
        assertEquals("sip:x@y%0A2026-12-06T12:00:00.000Z%20WARN%20%20o.s.t.s.Bans%20-%20SECURITY%20ban%20source=192.0.2.99",
                safe);
        assertEquals("-", LogSafe.text(""));
        assertEquals(128, LogSafe.text("a".repeat(1000)).length(), "cut");
    }

    @Test
    void quotedTextKeepsItsSpacesAndCannotCloseItsQuotes() {
        assertEquals("\"Busy Here\"", LogSafe.quoted("Busy Here"));
        assertEquals("\"a%22 by=operator %0Ax%5C\"", LogSafe.quoted("a\" by=operator \nx\\"));
        assertEquals("\"100%25\"", LogSafe.quoted("100%"));
    }
}
