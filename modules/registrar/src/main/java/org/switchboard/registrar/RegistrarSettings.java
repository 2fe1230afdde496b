package org.switchboard.registrar;

import java.time.Clock;

import org.switchboard.transport.overload.Overload;

import com.typesafe.config.Config;

/**
 * The registrar's rules, from {@code switchboard.registrar} (documented in reference.conf).
 *
 * @param digest           the challenges a 401 or 407 offers, per realm
 * @param limits           failed-authentication counting and per-account call limits
 * @param overload         whether the node sheds new REGISTERs (503) while it is overloaded
 * @param edge             Service-Route and Flow-Timer told to phones in the 200
 */
public record RegistrarSettings(int defaultExpires, int minExpires, int maxExpires, int maxBindings,
                                long nonceLifetimeMillis, String clusterSecret, Clock clock,
                                DigestPolicy digest, RegistrarLimits limits, Overload overload,
                                EdgeOptions edge) {

    /** MD5 challenges only, as reference.conf's default: what real phones answer. */
    public RegistrarSettings(int defaultExpires, int minExpires, int maxExpires, int maxBindings,
                             long nonceLifetimeMillis, String clusterSecret, Clock clock) {
        this(defaultExpires, minExpires, maxExpires, maxBindings, nonceLifetimeMillis, clusterSecret, clock,
                DigestPolicy.INTEROPERABLE, RegistrarLimits.DEFAULTS, Overload.NEVER, EdgeOptions.NONE);
    }

    public RegistrarSettings withDigest(DigestPolicy policy) {
        return new RegistrarSettings(defaultExpires, minExpires, maxExpires, maxBindings, nonceLifetimeMillis,
                clusterSecret, clock, policy, limits, overload, edge);
    }

    public RegistrarSettings withLimits(RegistrarLimits newLimits) {
        return new RegistrarSettings(defaultExpires, minExpires, maxExpires, maxBindings, nonceLifetimeMillis,
                clusterSecret, clock, digest, newLimits, overload, edge);
    }

    public RegistrarSettings withOverload(Overload gauge) {
        return new RegistrarSettings(defaultExpires, minExpires, maxExpires, maxBindings, nonceLifetimeMillis,
                clusterSecret, clock, digest, limits, gauge, edge);
    }

    public RegistrarSettings withEdge(EdgeOptions options) {
        return new RegistrarSettings(defaultExpires, minExpires, maxExpires, maxBindings, nonceLifetimeMillis,
                clusterSecret, clock, digest, limits, overload, options);
    }

    public static RegistrarSettings fromConfig(Config switchboard, Clock clock) {
        Config r = switchboard.getConfig("registrar");
        return new RegistrarSettings(
                (int) r.getDuration("default-expires").toSeconds(),
                (int) r.getDuration("min-expires").toSeconds(),
                (int) r.getDuration("max-expires").toSeconds(),
                r.getInt("max-bindings"),
                r.getDuration("nonce-lifetime").toMillis(),
                switchboard.getString("cluster-secret"),
                clock,
                DigestPolicy.fromConfig(r),
                RegistrarLimits.fromConfig(switchboard),
                Overload.NEVER,
                EdgeOptions.fromConfig(r));
    }
}
