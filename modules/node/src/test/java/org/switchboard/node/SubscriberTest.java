package org.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.registrar.api.CallLimits;

/** The subscribers file: the old lines still read the same, and the call limits are optional settings. */
class SubscriberTest {
    @Test
    void aLineWithoutLimitsHasTheClustersDefaults() throws StartupException {
        Subscriber s = Subscriber.parse("alice@Example.com,alicepw,busy=sip:vm@example.com", "line 1");
        assertEquals("sip:alice@example.com", s.aor());
        assertEquals(Optional.of("sip:vm@example.com"), s.forwarding().onBusy());
        assertEquals(CallLimits.DEFAULTS, s.callLimits());
    }

    @Test
    void limitsMixWithForwardingRules() throws StartupException {
        Subscriber s = Subscriber.parse("pbx@example.com,pw,max-calls=30,no-answer=sip:vm@example.com/20,max-calls-per-minute=0",
                "line 1");
        assertEquals(new CallLimits(Optional.of(30), Optional.of(0)), s.callLimits());
        assertEquals(20, s.forwarding().noAnswerSeconds());
    }

    @Test
    void aLimitThatIsNotACountStopsTheStart() {
        StartupException e = assertThrows(StartupException.class,
                () -> Subscriber.parse("alice@example.com,pw,max-calls=lots", "subscribers.csv line 7"));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("subscribers.csv line 7") && e.getMessage().contains("max-calls"), e.getMessage());
        assertThrows(StartupException.class, () -> Subscriber.parse("alice@example.com,pw,max-calls-per-minute=-1", "l"));
    }
}
