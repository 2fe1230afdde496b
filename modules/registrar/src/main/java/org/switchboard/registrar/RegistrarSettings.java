package org.switchboard.registrar;

import java.time.Clock;
import java.util.List;

import org.switchboard.sip.auth.Digest;

import org.switchboard.transport.overload.Overload;

import com.typesafe.config.Config;

/**
 * The registrar's rules, from {@code switchboard.registrar} (documented in reference.conf).
 *
 * @param digestAlgorithms the challenges a 401 offers, in this order
 * @param limits           failed-authentication counting and per-account call limits
 * @param overload         whether the node sheds new REGISTERs (503) while it is overloaded
 * @param edge             Service-Route and Flow-Timer told to phones in the 200
 */
public record RegistrarSettings(int defaultExpires, int minExpires, int maxExpires, int maxBindings,
                                long nonceLifetimeMillis, String clusterSecret, Clock clock,
                                List<Digest.Algorithm> digestAlgorithms, RegistrarLimits limits,
                                Overload overload, EdgeOptions edge) {

    public RegistrarSettings {
        digestAlgorithms = List.copyOf(digestAlgorithms);
        if (digestAlgorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one digest algorithm");
        }
    }

    /** MD5 then SHA-256: the order older phones and SIPp 3.6 (which answer the first challenge) need. */
    public RegistrarSettings(int defaultExpires, int minExpires, int maxExpires, int maxBindings,
                             long nonceLifetimeMillis, String clusterSecret, Clock clock) {
        this(defaultExpires, minExpires, maxExpires, maxBindings, nonceLifetimeMillis, clusterSecret, clock,
                List.of(Digest.Algorithm.MD5, Digest.Algorithm.SHA_256), RegistrarLimits.DEFAULTS, Overload.NEVER,
                EdgeOptions.NONE);
    }

    public RegistrarSettings withLimits(RegistrarLimits newLimits) {
        return new RegistrarSettings(defaultExpires, minExpires, maxExpires, maxBindings, nonceLifetimeMillis,
                clusterSecret, clock, digestAlgorithms, newLimits, overload, edge);
    }

    public RegistrarSettings withOverload(Overload gauge) {
        return new RegistrarSettings(defaultExpires, minExpires, maxExpires, maxBindings, nonceLifetimeMillis,
                clusterSecret, clock, digestAlgorithms, limits, gauge, edge);
    }

    public RegistrarSettings withEdge(EdgeOptions options) {
        return new RegistrarSettings(defaultExpires, minExpires, maxExpires, maxBindings, nonceLifetimeMillis,
                clusterSecret, clock, digestAlgorithms, limits, overload, options);
    }

    public static RegistrarSettings fromConfig(Config switchboard, Clock clock) {
        Config r = switchboard.getConfig("registrar");
        List<Digest.Algorithm> algorithms = r.getStringList("digest-algorithms").stream()
                .map(name -> Digest.Algorithm.fromWire(name).orElseThrow(() ->
                        new IllegalArgumentException("switchboard.registrar.digest-algorithms: unknown " + name)))
                .toList();
        return new RegistrarSettings(
                (int) r.getDuration("default-expires").toSeconds(),
                (int) r.getDuration("min-expires").toSeconds(),
                (int) r.getDuration("max-expires").toSeconds(),
                r.getInt("max-bindings"),
                r.getDuration("nonce-lifetime").toMillis(),
                switchboard.getString("cluster-secret"),
                clock,
                algorithms,
                RegistrarLimits.fromConfig(switchboard),
                Overload.NEVER,
                EdgeOptions.fromConfig(r));
    }
}
