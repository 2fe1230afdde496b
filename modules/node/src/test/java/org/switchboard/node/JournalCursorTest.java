package org.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class JournalCursorTest {
    private final JournalCursor cursor = new JournalCursor(Duration.ofSeconds(60));

    @Test
    void contiguousRowsLeaveNothingMissing() {
        cursor.read(List.of(1L, 2L, 3L), 0);
        assertEquals(3, cursor.highest());
        assertEquals(List.of(), cursor.missing(10));
    }

    @Test
    void rowsThatCommitAfterLaterOnesAreAskedForAgainUntilFound() {
        // two writers: rows 4-5 inserted before 6-7, committed after them
        cursor.read(List.of(1L, 2L, 3L, 6L, 7L), 1_000);
        assertEquals(7, cursor.highest(), "the next page starts after the highest row read");
        assertEquals(List.of(4L, 5L), cursor.missing(10));
        cursor.found(List.of(4L, 5L));
        assertEquals(List.of(), cursor.missing(10));
    }

    @Test
    void aRowMissingForTheGapTimeoutIsGivenUp() {
        cursor.read(List.of(1L, 3L), 1_000);
        cursor.read(List.of(5L), 30_000);
        assertEquals(0, cursor.expire(60_999));
        assertEquals(List.of(2L, 4L), cursor.missing(10));
        assertEquals(1, cursor.expire(61_000), "2 has been missing for 60 s: a rolled back write");
        assertEquals(List.of(4L), cursor.missing(10));
        assertEquals(1, cursor.expire(90_000));
        assertEquals(0, cursor.missingCount());
    }

    @Test
    void missingRowsAreAskedForLowestFirstAndAtMostTheLimit() {
        cursor.read(List.of(10L), 0);
        assertEquals(List.of(1L, 2L, 3L), cursor.missing(3));
        assertEquals(9, cursor.missingCount());
    }

    @Test
    void aHugeHoleIsRememberedOnlyUpToTheBound() {
        cursor.read(List.of(1L, 1_000_000_000L), 0);
        assertEquals(1_000_000_000L, cursor.highest());
        assertEquals(JournalCursor.MAX_MISSING, cursor.missingCount());
        assertEquals(List.of(2L), cursor.missing(1));
    }
}
