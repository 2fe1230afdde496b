package org.switchboard.transport.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import akka.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * The probe's lag with the collector's pauses taken out. Its clock and the pause total are the test's: the first
 * tick finds the clock 600 ms past the start, as if the JVM had stood still that long.
 */
class DispatcherLagProbeTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final long STOOD_STILL = TimeUnit.MILLISECONDS.toNanos(600);

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aTickLateBecauseTheDispatcherIsBusyCutsTheShare() {
        Overload overload = afterTwoTicks(0);
        assertTrue(overload.admittedShare() < 1.0, "share " + overload.admittedShare());
    }

    @Test
    void aTickLateOnlyByTheCollectorsPauseLeavesTheShareWhole() {
        Overload overload = afterTwoTicks(STOOD_STILL);
        assertEquals(1.0, overload.admittedShare());
    }

    @Test
    void lagIsWhatThePausesDoNotExplain() {
        assertEquals(150, DispatcherLagProbe.lagBeyondPauses(100, 300, 50));
        assertEquals(0, DispatcherLagProbe.lagBeyondPauses(100, 300, 500));
        assertEquals(0, DispatcherLagProbe.lagBeyondPauses(100, 50, 0));
    }

    @Test
    void concurrentCyclesAreNotPauses() {
        assertTrue(CollectorPauses.stopsTheWorld("G1 Young Generation"));
        assertTrue(CollectorPauses.stopsTheWorld("Shenandoah Pauses"));
        assertTrue(CollectorPauses.stopsTheWorld("ZGC Pauses"));
        assertTrue(!CollectorPauses.stopsTheWorld("ZGC Cycles"));
        assertTrue(!CollectorPauses.stopsTheWorld("G1 Concurrent GC"));
    }

    /**
     * The share after the probe's first tick, 400 ms late (more than the 250 ms allowed; {@code paused} of it in
     * the collector's pauses), and its second, on time.
     */
    private static Overload afterTwoTicks(long paused) {
        Overload overload = new Overload(Duration.ofMillis(250), Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO,
                5, Clock.systemUTC());
        overload.startMeasuring();
        AtomicLong clock = new AtomicLong();
        AtomicLong pauses = new AtomicLong();
        AtomicInteger pauseReads = new AtomicInteger();
        LongSupplier pauseTotal = () -> {
            pauseReads.incrementAndGet();
            return pauses.get();
        };
        testKit.spawn(DispatcherLagProbe.create(overload, INTERVAL, clock::get, pauseTotal));
        awaitReads(pauseReads, 1);
        clock.set(STOOD_STILL);
        pauses.set(paused);
        // the third read is the second tick's, after the first tick's sample was taken
        awaitReads(pauseReads, 3);
        return overload;
    }

    private static void awaitReads(AtomicInteger reads, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reads.get() < n) {
            assertTrue(System.nanoTime() < deadline, "the probe did not tick");
            Thread.onSpinWait();
        }
    }
}
