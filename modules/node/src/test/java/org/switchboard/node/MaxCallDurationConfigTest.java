package org.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

/** {@code switchboard.session.max-call-duration}: a duration, or 0 / off for no limit; 12 h by default. */
class MaxCallDurationConfigTest {
    @Test
    void theDefaultIsTwelveHours() {
        assertEquals(Duration.ofHours(12),
                SwitchboardNode.maxCallDuration(ConfigFactory.defaultReference().getConfig("switchboard")));
    }

    @Test
    void zeroOrOffMeansNoLimit() {
        assertEquals(Duration.ZERO, read("0"));
        assertEquals(Duration.ZERO, read("off"));
        assertEquals(Duration.ZERO, read("false"));
        assertEquals(Duration.ofMinutes(90), read("90m"));
    }

    @Test
    void anythingElseIsAConfigurationError() {
        assertThrows(ConfigException.class, () -> read("on"));
        assertThrows(ConfigException.class, () -> read("forever"));
    }

    private static Duration read(String value) {
        return SwitchboardNode.maxCallDuration(ConfigFactory.parseString("session.max-call-duration = " + value));
    }
}
