package org.switchboard.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import akka.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * What the entity tests rely on: simulated time moves only when the test moves it, each task runs at its own due
 * time as the clock reads it, and the time then stands at the end of the step.
 */
class SimulatedTimeTest {
    @RegisterExtension
    static final EntityTestKit testKit = EntityTestKit.simulatedTime("simulated-time");

    @Test
    void tasksRunInTheOrderOfTheirDueTimesEachAtItsOwnTimeAndTheStepEndsWhereItSaid() {
        SimulatedTime time = testKit.time();
        long start = time.clock().millis();
        List<Long> seen = new CopyOnWriteArrayList<>();
        var scheduler = testKit.system().scheduler();
        var ec = testKit.system().executionContext();
        scheduler.scheduleOnce(Duration.ofMillis(70), () -> seen.add(time.clock().millis() - start), ec);
        scheduler.scheduleOnce(Duration.ofMillis(30), () -> {
            seen.add(time.clock().millis() - start);
            // started by a task that ran at 30: counts from 30, due at 50, within this step
            scheduler.scheduleOnce(Duration.ofMillis(20), () -> seen.add(time.clock().millis() - start), ec);
        }, ec);
        assertEquals(List.of(), seen, "nothing runs before the test moves time");

        time.advance(Duration.ofMillis(100));
        assertEquals(List.of(30L, 50L, 70L), seen);
        assertEquals(100, time.clock().millis() - start);

        time.settle();
        assertEquals(100, time.clock().millis() - start, "settling moves no time");
    }

    @Test
    void aClockCannotFollowASystemOnTheRealScheduler() {
        ActorTestKit real = ActorTestKit.create("real-time", EntityTestKit.config());
        try {
            assertThrows(IllegalArgumentException.class, () -> TestClock.following(real.system()));
            assertThrows(IllegalArgumentException.class, () -> SimulatedTime.of(real.system()));
        } finally {
            real.shutdownTestKit();
        }
    }

    @Test
    void aManualClockMovesOnlyWhenAdvancedAndOnlyForward() {
        TestClock clock = TestClock.manual();
        assertEquals(TestClock.START, clock.instant());
        clock.advance(Duration.ofSeconds(90));
        assertEquals(TestClock.START.plusSeconds(90), clock.instant());
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofMillis(-1)));
        assertEquals(clock, clock.withZone(ZoneId.of("UTC")));
        assertThrows(UnsupportedOperationException.class, () -> clock.withZone(ZoneId.of("Europe/Paris")));
    }
}
