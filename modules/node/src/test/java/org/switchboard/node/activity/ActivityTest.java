package org.switchboard.node.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.testkit.TestClock;

class ActivityTest {
    private final TestClock clock = TestClock.manual();

    private static byte[] response(int status, String method, String callId) {
        return ("SIP/2.0 " + status + " Whatever\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 " + method + "\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void eachTickClosesOneSecondOfCountsAndSetupTimes() {
        Activity a = new Activity(clock);
        a.registerReceived();
        a.registerReceived();
        a.initialInviteReceived("c1");
        a.initialInviteReceived("c1"); // a retransmission
        a.initialInviteReceived("c2");
        a.initialInviteReceived("c3");
        clock.advance(Duration.ofMillis(20));
        a.sending(response(100, "INVITE", "c1"));
        a.sending(response(180, "INVITE", "c1"));
        clock.advance(Duration.ofMillis(30));
        a.sending(response(200, "INVITE", "c1"));   // 50 ms
        a.sending(response(200, "INVITE", "c1"));   // its retransmission: not a second answer
        clock.advance(Duration.ofMillis(10));
        a.sending(response(486, "INVITE", "c2"));   // 60 ms, not answered
        a.sending(response(200, "BYE", "c3"));      // not the INVITE's answer
        a.tick();

        Activity.Sample s = a.samples().get(0);
        assertEquals(2, s.registers());
        assertEquals(3, s.invites());
        assertEquals(2, s.finals());
        assertEquals(1, s.answered());
        assertEquals(Optional.of(new Activity.Latency(50, 60)), s.setup());
        assertEquals(clock.millis(), s.atMillis());
        assertEquals(1, a.pending(), "c3 still awaits its answer");

        clock.advance(Duration.ofSeconds(1));
        a.tick();
        Activity.Sample quiet = a.samples().get(1);
        assertEquals(List.of(0L, 0L, 0L, 0L), List.of(quiet.registers(), quiet.invites(), quiet.finals(),
                quiet.answered()));
        assertEquals(Optional.empty(), quiet.setup());
    }

    @Test
    void aReInvitesAnswerIsNotASetup() {
        Activity a = new Activity(clock);
        a.initialInviteReceived("c1");
        a.sending(response(200, "INVITE", "c1"));
        a.sending(response(200, "INVITE", "c1")); // the answer to a later re-INVITE of the same call
        a.tick();
        assertEquals(1, a.samples().get(0).finals());
    }

    @Test
    void theRingKeepsTheLastTenMinutesOldestFirst() {
        Activity a = new Activity(clock);
        for (int second = 0; second < Activity.SLOTS + 5; second++) {
            for (int i = 0; i < second; i++) {
                a.registerReceived();
            }
            clock.advance(Duration.ofSeconds(1));
            a.tick();
        }
        List<Activity.Sample> samples = a.samples();
        assertEquals(Activity.SLOTS, samples.size());
        assertEquals(5, samples.get(0).registers());
        assertEquals(Activity.SLOTS + 4, samples.get(samples.size() - 1).registers());
        assertTrue(samples.get(0).atMillis() < samples.get(1).atMillis());
    }

    @Test
    void pendingInvitesAreBoundedAndTheOldestForgotten() {
        Activity a = new Activity(clock, 3);
        for (int i = 1; i <= 5; i++) {
            a.initialInviteReceived("c" + i);
        }
        assertEquals(3, a.pending());
        a.sending(response(200, "INVITE", "c1")); // forgotten: counts nowhere
        a.sending(response(200, "INVITE", "c5"));
        a.tick();
        assertEquals(5, a.samples().get(0).invites());
        assertEquals(1, a.samples().get(0).finals());
    }

    @Test
    void anInviteNeverAnsweredIsForgottenAfterTheLongestSetup() {
        Activity a = new Activity(clock);
        a.initialInviteReceived("lost");
        clock.advance(Activity.MAX_SETUP.minusSeconds(1));
        a.tick();
        assertEquals(1, a.pending());
        clock.advance(Duration.ofSeconds(2));
        a.tick();
        assertEquals(0, a.pending());
    }
}
