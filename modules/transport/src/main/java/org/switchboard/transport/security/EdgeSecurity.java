package org.switchboard.transport.security;

import java.time.Duration;

import com.typesafe.config.Config;

/** The edge's limits, from {@code switchboard.security} (each key documented in the node's reference.conf). */
public record EdgeSecurity(TrustedPeers trusted, RateLimit rateLimit, AuthFailures authFailures, Tcp tcp) {

    /**
     * @param sourcesTracked the most source addresses the limiter keeps a bucket for: beyond them (a flood from
     *                       spoofed sources) new sources share one bucket, so memory stays bounded
     */
    public record RateLimit(boolean enabled, double perSecond, int burst, int sourcesTracked, Duration logInterval) {
    }

    public record AuthFailures(int limit, Duration window, Duration banTime) {
    }

    /**
     * @param writeStallTimeout how long a connection may stay over its write buffer's high mark before it is closed
     */
    public record Tcp(Duration idleTimeout, Duration messageTimeout, int maxConnections, int maxConnectionsPerAddress,
                      int writeBufferLow, int writeBufferHigh, Duration writeStallTimeout) {
    }

    public static EdgeSecurity fromConfig(Config security) {
        Config r = security.getConfig("rate-limit");
        Config a = security.getConfig("auth-failures");
        Config t = security.getConfig("tcp");
        int high = (int) Math.min(Integer.MAX_VALUE, t.getBytes("write-buffer-high"));
        require(r.getDouble("requests-per-second") > 0 && r.getInt("burst") >= 1 && r.getInt("max-sources") >= 1,
                "rate-limit needs requests-per-second > 0, burst >= 1 and max-sources >= 1");
        require(a.getInt("limit") >= 1, "auth-failures.limit must be at least 1");
        require(t.getInt("max-connections") >= 1 && t.getInt("max-connections-per-address") >= 1 && high >= 2,
                "tcp needs max-connections and max-connections-per-address >= 1 and write-buffer-high >= 2 bytes");
        return new EdgeSecurity(TrustedPeers.parse(security.getStringList("trusted-peers")),
                new RateLimit(r.getBoolean("enabled"), r.getDouble("requests-per-second"), r.getInt("burst"),
                        r.getInt("max-sources"), r.getDuration("log-interval")),
                new AuthFailures(a.getInt("limit"), a.getDuration("window"), a.getDuration("ban-time")),
                new Tcp(t.getDuration("idle-timeout"), t.getDuration("message-timeout"), t.getInt("max-connections"),
                        t.getInt("max-connections-per-address"), high / 2, high, t.getDuration("write-stall-timeout")));
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }
}
