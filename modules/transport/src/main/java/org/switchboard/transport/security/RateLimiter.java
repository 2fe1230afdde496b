package org.switchboard.transport.security;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets per source address, asked for every message before it is parsed (on a Netty thread). A source
 * that is known costs one map lookup keyed by the sender's own {@link InetAddress} and an uncontended monitor: no
 * allocation. The map is bounded: when full, buckets that have refilled (idle sources, indistinguishable from new
 * ones) are swept out; if it is still full, as under a flood from spoofed addresses, new sources share one
 * overflow bucket instead of growing memory.
 */
public final class RateLimiter {
    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

    private final double tokensPerNano;
    private final double burst;
    /** As configured, for the log line. */
    private final String rate;
    private final int maxSources;
    private final long logIntervalNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
    private final Bucket overflow;
    private final AtomicLong lastSweep;

    public RateLimiter(EdgeSecurity.RateLimit settings, LongSupplier nanoClock) {
        if (settings.perSecond() <= 0 || settings.burst() < 1 || settings.sourcesTracked() < 1) {
            throw new IllegalArgumentException("rate limit needs requests-per-second > 0, burst >= 1, max-sources >= 1");
        }
        this.tokensPerNano = settings.perSecond() / 1e9;
        this.burst = settings.burst();
        double r = settings.perSecond();
        this.rate = r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
        this.maxSources = settings.sourcesTracked();
        this.logIntervalNanos = settings.logInterval().toNanos();
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        this.overflow = new Bucket(now, burst);
        this.lastSweep = new AtomicLong(now - SWEEP_INTERVAL_NANOS);
    }

    /** Takes a token for one message from this source; false: drop it. */
    public boolean admit(InetAddress source) {
        long now = nanoClock.getAsLong();
        Bucket b = buckets.get(source);
        if (b == null) {
            b = bucketForNew(source, now);
        }
        if (b.take(now, tokensPerNano, burst)) {
            return true;
        }
        long dropped = b.logDue(now, logIntervalNanos);
        if (dropped > 0) {
            log.info("rate limit: dropping messages from {} over {}/s (burst {}), {} since the last line{}",
                    source.getHostAddress(), rate, (long) burst, dropped,
                    b == overflow ? "; source table full, new sources share one bucket" : "");
        }
        return false;
    }

    /** Sources with a bucket of their own (for tests and metrics). */
    public int tracked() {
        return buckets.size();
    }

    private Bucket bucketForNew(InetAddress source, long now) {
        if (buckets.size() >= maxSources) {
            sweep(now);
            if (buckets.size() >= maxSources) {
                return overflow;
            }
        }
        return buckets.computeIfAbsent(source, s -> new Bucket(now, burst));
    }

    /** At most once a second, whichever thread gets there: a sweep walks the whole table. */
    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < SWEEP_INTERVAL_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        buckets.values().removeIf(b -> b.refilled(now, tokensPerNano, burst));
    }

    /** One source's tokens. Both the UDP and the TCP event loop may take from it, hence the (uncontended) monitor. */
    private static final class Bucket {
        private long updated;
        private double tokens;
        private long dropped;
        private long lastLog = Long.MIN_VALUE;

        Bucket(long now, double tokens) {
            this.updated = now;
            this.tokens = tokens;
        }

        synchronized boolean take(long now, double perNano, double burst) {
            tokens = Math.min(burst, tokens + Math.max(0, now - updated) * perNano);
            updated = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            dropped++;
            return false;
        }

        /** The drops to report now, once per interval (0: not yet, or logging is off). */
        synchronized long logDue(long now, long interval) {
            if (interval <= 0 || (lastLog != Long.MIN_VALUE && now - lastLog < interval)) {
                return 0;
            }
            lastLog = now;
            long n = dropped;
            dropped = 0;
            return n;
        }

        synchronized boolean refilled(long now, double perNano, double burst) {
            return tokens + Math.max(0, now - updated) * perNano >= burst;
        }
    }
}
