package org.switchboard.transport.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.switchboard.transport.HandClock;

class OverloadTest {
    private final HandClock clock = new HandClock(Instant.ofEpochMilli(1_000_000));
    private final Overload overload = measuring(new Overload(Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofMillis(200), 5, clock));

    @Test
    void lateTicksCutTheShareOfNewWorkTakenAndTicksOnTimeRestoreIt() {
        overload.dispatcherLag(ms(10));
        assertEquals(1.0, overload.admittedShare());
        overload.dispatcherLag(ms(800));
        overload.dispatcherLag(ms(700));
        assertEquals(0.5625, overload.admittedShare(), 1e-9, "each late tick leaves three quarters");
        assertTrue(overload.shedding());
        long takenCount = IntStream.range(0, 20_000).filter(i -> overload.takes(i + "-4242@127.0.0.1")).count();
        assertEquals(0.5625, takenCount / 20_000.0, 0.02, "that share of new Call-IDs is taken");
        assertEquals(20_000 - takenCount, overload.refusedForLag(), "each refusal counted, as the actors' lag's");
        assertEquals(0, overload.refusedForJournal());
        for (int tick = 0; tick < 8; tick++) {
            overload.dispatcherLag(ms(5));
        }
        assertEquals(0.9625, overload.admittedShare(), 1e-9, "a twentieth more at each tick on time");
        overload.dispatcherLag(ms(5));
        assertEquals(1.0, overload.admittedShare());
        assertFalse(overload.shedding());
    }

    @Test
    void aSingleLateTickCostsAQuarterOfNewWorkForHalfASecondNotAllOfIt() {
        overload.dispatcherLag(ms(5_000));
        assertEquals(0.75, overload.admittedShare());
        for (int tick = 0; tick < 5; tick++) {
            overload.dispatcherLag(ms(2));
        }
        assertFalse(overload.shedding());
    }

    @Test
    void aRetransmissionIsDecidedAsItsFirstCopyUntilTheRetryAfterHasPassed() {
        lateTwice();
        List<String> callIds = IntStream.range(0, 200).mapToObj(i -> "reg-" + i).toList();
        List<Boolean> first = callIds.stream().map(overload::takes).toList();
        List<Boolean> refusedAgain = callIds.stream().filter(id -> !first.get(callIds.indexOf(id)))
                .map(overload::takes).toList();
        assertFalse(refusedAgain.isEmpty());
        assertFalse(refusedAgain.contains(true), "refused again within the epoch");
        clock.advance(Duration.ofSeconds(5));
        long takenNow = callIds.stream().filter(id -> !first.get(callIds.indexOf(id))).filter(overload::takes).count();
        assertTrue(takenNow > 0, "a phone that retries after Retry-After has a fresh chance with its Call-ID");
    }

    @Test
    void aSlowJournalShedsAndAJournalWithNoRecentSampleDoesNot() {
        overload.journalLatency(ms(1_500));
        clock.advance(Duration.ofMillis(250));
        overload.journalLatency(ms(300));
        assertFalse(overload.shedding(), "one slow batch of writes");
        overload.journalLatency(ms(1_200));
        assertTrue(overload.shedding(), "slow writes for 250 ms");
        assertEquals(0, overload.admittedShare(), "a slow journal sheds all new work");
        assertFalse(overload.takes("new-while-slow"));
        assertTrue(overload.refuses("another-while-slow"));
        assertEquals(2, overload.refusedForJournal(), "counted as the journal's");
        assertEquals(0, overload.refusedForLag());
        clock.advance(Duration.ofMillis(2_001));
        assertFalse(overload.shedding(), "nothing measured lately: the next write measures again");
        overload.journalLatency(ms(1_900));
        assertFalse(overload.shedding());
    }

    @Test
    void nothingCountsBeforeTheNodeServes() {
        Overload starting = new Overload(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ZERO, 5, clock);
        starting.dispatcherLag(ms(3_000));
        starting.journalLatency(ms(3_000));
        assertFalse(starting.shedding(), "start-up and warm-up are not load");
        assertTrue(starting.takes("call-1"));
        starting.startMeasuring();
        starting.dispatcherLag(ms(3_000));
        assertTrue(starting.shedding());
    }

    @Test
    void anEntityRefusesNewWorkThatThisNodesEdgeDidNotTake() {
        assertTrue(overload.takes("taken-before"));
        for (int tick = 0; tick < 20; tick++) {
            overload.dispatcherLag(ms(800));
        }
        assertEquals(0, overload.admittedShare(), "every tick late for 2 s: nothing new taken");
        assertTrue(overload.refuses("from-another-node"), "work from another transport node's edge is refused");
        assertFalse(overload.refuses("taken-before"), "work this node's edge took goes on");
        assertFalse(overload.takes("new-at-the-edge"));
        assertTrue(overload.takes("taken-before"));
    }

    @Test
    void neverShedsWhenSwitchedOff() {
        Overload off = Overload.NEVER;
        off.dispatcherLag(ms(60_000));
        off.journalLatency(ms(60_000));
        assertFalse(off.shedding());
    }

    private void lateTwice() {
        overload.dispatcherLag(ms(800));
        overload.dispatcherLag(ms(800));
    }

    static Overload measuring(Overload overload) {
        overload.startMeasuring();
        return overload;
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    @Test
    void everyJournalSampleAndFailureReachesTheSinkEvenBeforeMeasuringAndWhenNeverShedding() {
        List<Long> written = new ArrayList<>();
        int[] failed = {0};
        JournalSamples sink = new JournalSamples() {
            @Override
            public void written(long nanos) {
                written.add(nanos);
            }

            @Override
            public void failed() {
                failed[0]++;
            }
        };
        Overload starting = new Overload(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ZERO, 5, clock, sink);
        starting.journalLatency(ms(3_000));
        assertFalse(starting.shedding(), "not measuring yet: the warm-up is not load");
        Overload never = Overload.never(sink);
        never.startMeasuring();
        never.journalLatency(ms(7));
        never.journalFailed();
        assertFalse(never.shedding());
        assertTrue(never.takes("any"));
        assertEquals(List.of(ms(3_000), ms(7)), written);
        assertEquals(1, failed[0]);
    }
}
