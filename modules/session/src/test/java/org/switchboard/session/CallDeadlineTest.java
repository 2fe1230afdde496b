package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Peer;

/** The rule both the Call entity and the call sweeper follow: when an answered call must end, and why. */
class CallDeadlineTest {
    private static final Duration MAX = Duration.ofHours(12);
    private static final long ANSWERED = 1_000_000;
    private static final Dialog DIALOG = new Dialog("c", "<sip:a@x>;tag=1", "<sip:b@x>;tag=2", "sip:a@1.2.3.4",
            Destination.udp("1.2.3.4", 5060), "sip:b@5.6.7.8", Destination.udp("5.6.7.8", 5060),
            1, 0, 0, new Peer("9.9.9.9", 5060));

    @Test
    void aCallWithoutSessionTimerEndsAtItsMaximumDuration() {
        CallState answered = new CallState.Answered(DIALOG, ANSWERED, 0, false);
        long end = ANSWERED + MAX.toMillis();
        assertEquals(new CallDeadline.CheckAt(end), CallDeadline.decide(answered, ANSWERED + 5, MAX));
        assertEquals(new CallDeadline.CheckAt(end), CallDeadline.decide(answered, end - 1, MAX));
        assertEquals(new CallDeadline.End("max-call-duration"), CallDeadline.decide(answered, end, MAX));
        assertEquals(end, CallDeadline.deadline(ANSWERED, 0, MAX));
    }

    @Test
    void aSessionThatRunsOutFirstEndsTheCallAsASessionTimerExpiry() {
        long expires = ANSWERED + 90_000;
        CallState answered = new CallState.Answered(DIALOG, ANSWERED, expires, false);
        assertEquals(new CallDeadline.CheckAt(expires), CallDeadline.decide(answered, ANSWERED, MAX));
        assertEquals(new CallDeadline.End("session timer expired"), CallDeadline.decide(answered, expires + 1, MAX));
        assertEquals(expires, CallDeadline.deadline(ANSWERED, expires, MAX));
    }

    @Test
    void whenBothHavePassedTheCauseIsTheOneThatCameFirst() {
        long end = ANSWERED + MAX.toMillis();
        CallState refreshedPastTheLimit = new CallState.Answered(DIALOG, ANSWERED, end + 60_000, false);
        assertEquals(new CallDeadline.CheckAt(end), CallDeadline.decide(refreshedPastTheLimit, end - 10, MAX));
        assertEquals(new CallDeadline.End("max-call-duration"),
                CallDeadline.decide(refreshedPastTheLimit, end + 120_000, MAX));
    }

    @Test
    void withoutALimitOnlyTheSessionTimerCounts() {
        CallState noTimer = new CallState.Answered(DIALOG, ANSWERED, 0, false);
        assertEquals(new CallDeadline.NoDeadline(), CallDeadline.decide(noTimer, Long.MAX_VALUE - 1, Duration.ZERO));
        assertEquals(CallDeadline.NEVER, CallDeadline.deadline(ANSWERED, 0, Duration.ZERO));
        CallState timer = new CallState.Answered(DIALOG, ANSWERED, ANSWERED + 1000, false);
        assertEquals(new CallDeadline.End("session timer expired"),
                CallDeadline.decide(timer, ANSWERED + 1000, Duration.ZERO));
    }

    @Test
    void callsNotAnsweredOrOverHaveNoDeadline() {
        for (CallState s : List.of(new CallState.Setup(), new CallState.Failed(486, ANSWERED),
                new CallState.Ended("BYE 200", ANSWERED, ANSWERED + 5))) {
            assertEquals(new CallDeadline.NoDeadline(), CallDeadline.decide(s, Long.MAX_VALUE - 1, MAX), s.toString());
        }
    }
}
