package org.switchboard.node.metrics;

import java.util.concurrent.TimeUnit;

import org.switchboard.transport.overload.JournalSamples;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The journal as this node's entities see it: how long each write a response waits for (a REGISTER's binding, a
 * call's answer) took from persist to its acknowledgement — the sample the overload gauge sheds on, from the same
 * call — and how often the journal failed an entity.
 */
final class JournalMetrics implements JournalSamples {
    private final Timer writes;
    private final Counter failures;

    JournalMetrics(MeterRegistry registry) {
        writes = Timer.builder("switchboard.journal.write")
                .description("Journal writes a response waits for (a REGISTER's binding, a call's answer) on this node, "
                        + "persist to acknowledgement")
                .serviceLevelObjectives(SipMetrics.millis(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000))
                .register(registry);
        failures = Counter.builder("switchboard.journal.failures")
                .description("Entities of this node restarted because the journal failed a write or a recovery")
                .register(registry);
    }

    @Override
    public void written(long nanos) {
        writes.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void failed() {
        failures.increment();
    }
}
