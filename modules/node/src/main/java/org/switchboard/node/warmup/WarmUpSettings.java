package org.switchboard.node.warmup;

import java.time.Duration;

import com.typesafe.config.Config;

/**
 * {@code switchboard.warm-up}: whether a node drives its own SIP path before it says ready, how many calls at most,
 * for how long at most, and with how many loopback phone pairs at once.
 */
public record WarmUpSettings(boolean enabled, int calls, Duration maxDuration, int lanes, Duration answerWait) {
    /** The domain of the warm-up's throw-away accounts; reserved by RFC 2606, so no real user is ever in it. */
    public static final String DOMAIN = "warm-up.invalid";

    public WarmUpSettings {
        if (calls < 0 || lanes < 1 || maxDuration.isNegative() || answerWait.isNegative() || answerWait.isZero()) {
            throw new IllegalArgumentException("switchboard.warm-up: calls >= 0, lanes >= 1, durations > 0");
        }
    }

    public static WarmUpSettings fromConfig(Config warmUp) {
        return new WarmUpSettings(warmUp.getBoolean("enabled"), warmUp.getInt("calls"),
                warmUp.getDuration("max-duration"), warmUp.getInt("lanes"), warmUp.getDuration("answer-wait"));
    }
}
