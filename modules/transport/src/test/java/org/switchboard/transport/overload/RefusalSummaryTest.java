package org.switchboard.transport.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class RefusalSummaryTest {
    private final RefusalSummary summary = new RefusalSummary(10_000, 0);

    @Test
    void nothingRefusedNothingLogged() {
        assertTrue(summary.at(60_000, 0, 0).isEmpty());
    }

    @Test
    void aRefusalSoonAfterTheStartIsLoggedAtOnce() {
        assertEquals(Optional.of("overload: 5 new requests refused with 503 in the last 3 s: 5 while the journal was "
                + "slow, 0 while the actors ran late (metric switchboard_overload_refused_total)"),
                summary.at(3_000, 5, 0));
    }

    @Test
    void theFirstRefusalIsLoggedAtOnceThenOneLinePerIntervalWithWhatWasAdded() {
        assertEquals(Optional.of("overload: 3 new requests refused with 503 in the last 12 s: 1 while the journal was "
                + "slow, 2 while the actors ran late (metric switchboard_overload_refused_total)"),
                summary.at(12_000, 1, 2));
        assertTrue(summary.at(15_000, 1, 40).isEmpty(), "within ten seconds of the last line");
        assertEquals(Optional.of("overload: 60 new requests refused with 503 in the last 10 s: 0 while the journal "
                + "was slow, 60 while the actors ran late (metric switchboard_overload_refused_total)"),
                summary.at(22_000, 1, 62));
        assertTrue(summary.at(40_000, 1, 62).isEmpty(), "none refused since: silence");
    }
}
