package org.switchboard.registrar;

import java.time.Clock;

import com.typesafe.config.Config;

/** The registrar's rules, from {@code switchboard.registrar} (documented in reference.conf). */
public record RegistrarSettings(int defaultExpires, int minExpires, int maxExpires, int maxBindings,
                                long nonceLifetimeMillis, String clusterSecret, Clock clock) {

    public static RegistrarSettings fromConfig(Config switchboard, Clock clock) {
        Config r = switchboard.getConfig("registrar");
        return new RegistrarSettings(
                (int) r.getDuration("default-expires").toSeconds(),
                (int) r.getDuration("min-expires").toSeconds(),
                (int) r.getDuration("max-expires").toSeconds(),
                r.getInt("max-bindings"),
                r.getDuration("nonce-lifetime").toMillis(),
                switchboard.getString("cluster-secret"),
                clock);
    }
}
