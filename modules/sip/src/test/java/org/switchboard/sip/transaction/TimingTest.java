package org.switchboard.sip.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.transaction.TransactionEvent.ResponseReceived;
import org.switchboard.sip.transaction.TransactionEvent.TuResponse;

/** RFC 3261 Table 4 (Appendix A) and RFC 6026 §8, for the default T1, T2, T4. */
class TimingTest {
    private static final Duration T1 = Duration.ofMillis(500);
    private static final Duration SIXTY_FOUR_T1 = Duration.ofSeconds(32);

    @Test
    void unreliableColumn() {
        var udp = new Timing(TransactionTimers.DEFAULT, false);
        assertTrue(udp.retransmits());
        assertEquals(T1, udp.firstRetransmit());
        assertEquals(SIXTY_FOUR_T1, udp.timerB());
        assertEquals(Duration.ofSeconds(32), udp.timerD());
        assertEquals(SIXTY_FOUR_T1, udp.timerF());
        assertEquals(SIXTY_FOUR_T1, udp.timerH());
        assertEquals(Duration.ofSeconds(5), udp.timerI());
        assertEquals(SIXTY_FOUR_T1, udp.timerJ());
        assertEquals(Duration.ofSeconds(5), udp.timerK());
        assertEquals(SIXTY_FOUR_T1, udp.timerL());
        assertEquals(SIXTY_FOUR_T1, udp.timerM());
    }

    @Test
    void reliableColumn() {
        var tcp = new Timing(TransactionTimers.DEFAULT, true);
        assertFalse(tcp.retransmits());
        assertEquals(SIXTY_FOUR_T1, tcp.timerB());
        assertEquals(Duration.ZERO, tcp.timerD());
        assertEquals(SIXTY_FOUR_T1, tcp.timerF());
        assertEquals(SIXTY_FOUR_T1, tcp.timerH());
        assertEquals(Duration.ZERO, tcp.timerI());
        assertEquals(Duration.ZERO, tcp.timerJ());
        assertEquals(Duration.ZERO, tcp.timerK());
        assertEquals(SIXTY_FOUR_T1, tcp.timerL());
        assertEquals(SIXTY_FOUR_T1, tcp.timerM());
    }

    @Test
    void retransmitIntervals() {
        var udp = new Timing(TransactionTimers.DEFAULT, false);
        assertEquals(Duration.ofSeconds(8), udp.nextA(Duration.ofSeconds(4)));
        assertEquals(Duration.ofSeconds(2), udp.nextCapped(Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(4), udp.nextCapped(Duration.ofSeconds(2)));
        assertEquals(Duration.ofSeconds(4), udp.nextCapped(Duration.ofSeconds(4)));
        assertEquals(Duration.ofSeconds(4), udp.proceedingE());
    }

    @Test
    void timerDIsAtLeast32SecondsAndFollowsARaisedT1() {
        var small = new TransactionTimers(Duration.ofMillis(100), Duration.ofSeconds(4), Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(32), new Timing(small, false).timerD());
        var large = new TransactionTimers(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(64), new Timing(large, false).timerD());
    }

    @Test
    void badValuesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new TransactionTimers(Duration.ZERO, Duration.ofSeconds(4), Duration.ofSeconds(5)));
        assertThrows(IllegalArgumentException.class,
                () -> new TransactionTimers(Duration.ofSeconds(5), Duration.ofSeconds(4), Duration.ofSeconds(5)));
        assertThrows(IllegalArgumentException.class, () -> new ResponseReceived(99));
        assertThrows(IllegalArgumentException.class, () -> new TuResponse(700));
    }
}
