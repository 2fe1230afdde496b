package org.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The ready line names the collector as an operator chooses it with -XX:+Use&lt;name&gt;GC. */
class CollectorTest {
    @Test
    void eachCollectorByTheNameThatChoosesIt() {
        assertEquals("G1", Collector.name(List.of("G1 Young Generation", "G1 Old Generation")));
        assertEquals("Shenandoah", Collector.name(List.of("Shenandoah Pauses", "Shenandoah Cycles")));
        assertEquals("ZGC", Collector.name(List.of("ZGC Cycles", "ZGC Pauses")));
        assertEquals("Parallel", Collector.name(List.of("PS Scavenge", "PS MarkSweep")));
        assertEquals("Serial", Collector.name(List.of("Copy", "MarkSweepCompact")));
        assertEquals("unknown", Collector.name(List.of()));
    }
}
