package org.switchboard.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.switchboard.testkit.TestClock;

class WaitingRequestsTest {
    private final TestClock clock = TestClock.manual();

    @Test
    void aRequestWaitsFromItsFirstArrivalUntilItsAnswerOnce() {
        WaitingRequests w = new WaitingRequests(clock, 100, Duration.ofSeconds(64));
        assertTrue(w.arrived("a"));
        clock.advance(Duration.ofMillis(30));
        assertFalse(w.arrived("a"), "a retransmission");
        assertEquals(OptionalLong.of(30), w.answered("a"));
        assertEquals(OptionalLong.empty(), w.answered("a"), "its answer's retransmission");
        assertTrue(w.isEmpty());
    }

    @Test
    void oneNeverAnsweredIsForgottenAfterTwoGenerationsAndFoundDuringThem() {
        WaitingRequests w = new WaitingRequests(clock, 100, Duration.ofSeconds(64));
        w.arrived("lost");
        w.arrived("late");
        clock.advance(Duration.ofSeconds(32));
        w.expire();
        assertFalse(w.arrived("late"), "still waiting, in the older generation");
        assertEquals(OptionalLong.of(32_000), w.answered("late"));
        clock.advance(Duration.ofSeconds(32));
        w.expire();
        assertEquals(0, w.size());
        assertEquals(OptionalLong.empty(), w.answered("lost"));
    }

    @Test
    void aFullGenerationMakesRoomAtOnce() {
        WaitingRequests w = new WaitingRequests(clock, 4, Duration.ofSeconds(64));
        for (int i = 0; i < 7; i++) {
            w.arrived("c" + i);
        }
        assertTrue(w.size() <= 4, "bounded: " + w.size());
        assertEquals(OptionalLong.of(0), w.answered("c6"), "the newest are kept");
    }
}
