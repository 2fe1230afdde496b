package org.switchboard.transport.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final FakeClock clock = new FakeClock();

    private RateLimiter limiter(double perSecond, int burst, int maxSources) {
        return new RateLimiter(new EdgeSecurity.RateLimit(true, perSecond, burst, maxSources, Duration.ofSeconds(60)), clock);
    }

    @Test
    void aNewSourceMaySendItsBurstAtOnceThenOnlyAtTheRate() throws Exception {
        RateLimiter limiter = limiter(50, 200, 1000);
        InetAddress a = ip("203.0.113.7");
        assertEquals(200, admitted(limiter, a, 1000), "the burst");
        clock.advance(Duration.ofMillis(100));
        assertEquals(5, admitted(limiter, a, 1000), "50/s for 100 ms");
        clock.advance(Duration.ofSeconds(60));
        assertEquals(200, admitted(limiter, a, 1000), "refilled up to the burst, not beyond");
    }

    @Test
    void oneSourceOverItsLimitDoesNotTakeFromAnother() throws Exception {
        RateLimiter limiter = limiter(10, 20, 1000);
        assertEquals(20, admitted(limiter, ip("203.0.113.7"), 10_000));
        assertEquals(20, admitted(limiter, ip("203.0.113.8"), 20));
        assertTrue(limiter.admit(ip("2001:db8::1")));
    }

    @Test
    void sustainedTrafficAtTheRateIsNeverDropped() throws Exception {
        RateLimiter limiter = limiter(50, 200, 1000);
        InetAddress a = ip("198.51.100.1");
        for (int i = 0; i < 10_000; i++) {
            clock.advance(Duration.ofMillis(20));
            assertTrue(limiter.admit(a), "message " + i);
        }
    }

    @Test
    void aFullTableForgetsIdleSourcesAndSharesOneBucketAmongNewOnesWhileAllAreBusy() throws Exception {
        RateLimiter limiter = limiter(1, 2, 3);
        for (int i = 1; i <= 3; i++) {
            assertTrue(limiter.admit(ip("192.0.2." + i)));
        }
        assertEquals(3, limiter.tracked());
        // all three still have spent tokens: the fourth and fifth new source share the overflow bucket (2 tokens)
        assertEquals(2, admitted(limiter, ip("192.0.2.4"), 2) + admitted(limiter, ip("192.0.2.5"), 2));
        assertEquals(3, limiter.tracked(), "the table did not grow");
        clock.advance(Duration.ofSeconds(5)); // everyone refilled: indistinguishable from new, swept on demand
        assertEquals(2, admitted(limiter, ip("192.0.2.6"), 5));
        assertEquals(1, limiter.tracked());
    }

    @Test
    void aMillionSpoofedSourcesKeepTheTableBounded() throws Exception {
        RateLimiter limiter = limiter(50, 200, 10_000);
        byte[] a = {10, 0, 0, 0};
        for (int i = 0; i < 1_000_000; i++) {
            a[1] = (byte) (i >> 16);
            a[2] = (byte) (i >> 8);
            a[3] = (byte) i;
            limiter.admit(InetAddress.getByAddress(a));
            if (i % 1000 == 0) {
                clock.advance(Duration.ofMillis(1));
            }
        }
        assertTrue(limiter.tracked() <= 10_000, "tracked " + limiter.tracked());
    }

    @Test
    void settingsThatAdmitNothingAreRefused() {
        assertFalse(ok(0, 10));
        assertFalse(ok(10, 0));
        assertTrue(ok(0.5, 1));
    }

    private boolean ok(double rate, int burst) {
        try {
            limiter(rate, burst, 10);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int admitted(RateLimiter limiter, InetAddress source, int tries) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            if (limiter.admit(source)) {
                n++;
            }
        }
        return n;
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
