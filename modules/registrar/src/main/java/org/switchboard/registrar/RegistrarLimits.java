package org.switchboard.registrar;

import java.time.Duration;

import com.typesafe.config.Config;

/**
 * The registrar's part of {@code switchboard.security} (documented in reference.conf).
 *
 * @param failureWindowMillis   the sliding window failed digest attempts of one AOR are counted in
 * @param aorMaxFailures        failures of one AOR within the window past which one WARN line is logged
 * @param maxConcurrentCalls    an account's concurrent calls unless its own limit says otherwise; 0: unlimited
 * @param maxCallsPerMinute     an account's new calls in any 60 s unless its own limit says otherwise; 0: unlimited
 * @param forgetCallAfterMillis an admitted call whose end was never reported stops counting after this
 */
public record RegistrarLimits(long failureWindowMillis, int aorMaxFailures, int maxConcurrentCalls,
                              int maxCallsPerMinute, long forgetCallAfterMillis) {
    public static final RegistrarLimits DEFAULTS =
            new RegistrarLimits(60_000, 20, 10, 30, Duration.ofHours(12).toMillis());

    public RegistrarLimits {
        if (failureWindowMillis <= 0 || aorMaxFailures < 0 || maxConcurrentCalls < 0 || maxCallsPerMinute < 0
                || forgetCallAfterMillis <= 0) {
            throw new IllegalArgumentException("switchboard.security: windows are positive, limits 0 or positive");
        }
    }

    static RegistrarLimits fromConfig(Config switchboard) {
        Config digest = switchboard.getConfig("security.digest");
        Config calls = switchboard.getConfig("security.calls");
        return new RegistrarLimits(
                digest.getDuration("aor-failure-window").toMillis(),
                digest.getInt("aor-max-failures"),
                calls.getInt("max-concurrent"),
                calls.getInt("max-per-minute"),
                calls.getDuration("forget-after").toMillis());
    }
}
