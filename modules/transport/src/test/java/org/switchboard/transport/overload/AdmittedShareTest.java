package org.switchboard.transport.overload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class AdmittedShareTest {
    @Test
    void aLateSampleCutsAQuarterAndOneOnTimeAddsATwentiethUpToAll() {
        assertEquals(0.75, AdmittedShare.next(1.0, true));
        assertEquals(0.8, AdmittedShare.next(0.75, false), 1e-9);
        assertEquals(1.0, AdmittedShare.next(0.98, false));
        assertEquals(0.0, AdmittedShare.next(0.012, true), "below a hundredth it is nothing");
        assertEquals(0.05, AdmittedShare.next(0.0, false), 1e-9, "and comes back from nothing");
    }

    @Test
    void theShareTakenIsThatShareOfCallIdsHoweverAlikeTheyAre() {
        for (double share : new double[] {0.1, 0.5, 0.9}) {
            for (String pattern : new String[] {"%d-4242@127.0.0.1", "a84b4c76e66710%d", "reg-%d"}) {
                long in = IntStream.range(0, 50_000)
                        .filter(i -> AdmittedShare.bucket(String.format(pattern, i), 7) < share).count();
                assertEquals(share, in / 50_000.0, 0.01, pattern + " at " + share);
            }
        }
    }

    @Test
    void allOrNothingAtTheEndsAndNeverSteeredWhenOff() {
        AdmittedShare share = new AdmittedShare(1_000_000);
        assertTrue(IntStream.range(0, 1000).allMatch(i -> share.admits("c" + i, 1)));
        for (int i = 0; i < 20; i++) {
            share.sample(2_000_000);
        }
        assertEquals(0.0, share.value());
        assertFalse(IntStream.range(0, 1000).anyMatch(i -> share.admits("c" + i, 1)));
        AdmittedShare off = new AdmittedShare(0);
        off.sample(Long.MAX_VALUE);
        assertEquals(1.0, off.value());
    }
}
