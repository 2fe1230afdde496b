package org.switchboard.transport.security;

import java.time.Duration;
import java.util.function.LongSupplier;

/** Nanoseconds that move only when a test says so. */
final class FakeClock implements LongSupplier {
    private long now = 1_000_000_000_000L;

    @Override
    public long getAsLong() {
        return now;
    }

    void advance(Duration d) {
        now += d.toNanos();
    }
}
