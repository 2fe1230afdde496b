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
        int high = (int) t.getBytes("write-buffer-high").longValue();
        return new EdgeSecurity(TrustedPeers.parse(security.getStringList("trusted-peers")),
                new RateLimit(r.getBoolean("enabled"), r.getDouble("requests-per-second"), r.getInt("burst"),
                        r.getInt("max-sources"), r.getDuration("log-interval")),
                new AuthFailures(a.getInt("limit"), a.getDuration("window"), a.getDuration("ban-time")),
                new Tcp(t.getDuration("idle-timeout"), t.getDuration("message-timeout"), t.getInt("max-connections"),
                        t.getInt("max-connections-per-address"), high / 2, high, t.getDuration("write-stall-timeout")));
    }
}
