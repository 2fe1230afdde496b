package org.switchboard.sip.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.sip.transaction.Sim.T0;
import static org.switchboard.sip.transaction.Sim.ms;
import static org.switchboard.sip.transaction.Sim.msList;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.transaction.Action.CancelTimer;
import org.switchboard.sip.transaction.Action.NotifyTuTimeout;
import org.switchboard.sip.transaction.Action.NotifyTuTransportError;
import org.switchboard.sip.transaction.Action.PassToTu;
import org.switchboard.sip.transaction.Action.SendRequest;
import org.switchboard.sip.transaction.Action.StartTimer;
import org.switchboard.sip.transaction.Action.Terminate;
import org.switchboard.sip.transaction.TransactionEvent.ClientEvent;
import org.switchboard.sip.transaction.TransactionEvent.ResponseReceived;
import org.switchboard.sip.transaction.TransactionEvent.TimerFired;
import org.switchboard.sip.transaction.TransactionEvent.TransportError;

/** RFC 3261 §17.1.2, with T1 = 500 ms, T2 = 4 s, T4 = 5 s. */
class NonInviteClientTransactionTest {
    private static final TransactionTimers DEFAULT = TransactionTimers.DEFAULT;

    private static Sim<NonInviteClientTransaction, ClientEvent> udp() {
        return Sim.nonInviteClient(DEFAULT, false);
    }

    private static Sim<NonInviteClientTransaction, ClientEvent> tcp() {
        return Sim.nonInviteClient(DEFAULT, true);
    }

    @Test
    void startSendsTheRequestAndStartsTimersEAndF() {
        var t = NonInviteClientTransaction.start(DEFAULT, false, T0);
        assertEquals(List.of(new SendRequest(), new StartTimer(TimerName.E, T0.plus(ms(500))),
                new StartTimer(TimerName.F, T0.plus(ms(32_000)))), t.actions());
        assertInstanceOf(NonInviteClientTransaction.Trying.class, t.next());
    }

    @Test
    void overUdpTimerEDoublesUpToT2UntilTimerFTimesOut() {
        var sim = udp();
        sim.runUntil(Duration.ofSeconds(40));
        // Intervals 0.5, 1, 2, 4, 4, 4 ... s.
        assertEquals(msList(0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500),
                sim.times(SendRequest.class));
        assertEquals(msList(32_000), sim.times(NotifyTuTimeout.class));
        assertInstanceOf(NonInviteClientTransaction.Terminated.class, sim.state());
    }

    @Test
    void overTcpTheRequestIsSentOnceAndTimerFStillRuns() {
        var sim = tcp();
        assertEquals(Map.of(TimerName.F, ms(32_000)), sim.pending());
        sim.runUntil(Duration.ofSeconds(40));
        assertEquals(msList(0), sim.times(SendRequest.class));
        assertEquals(msList(32_000), sim.times(NotifyTuTimeout.class));
    }

    @Test
    void inProceedingTimerEFiresAtT2AndTimerFStillTimesOut() {
        var sim = udp();
        sim.runUntil(ms(2_000));
        assertEquals(List.of(new PassToTu(100)), sim.on(new ResponseReceived(100)).actions());
        assertInstanceOf(NonInviteClientTransaction.Proceeding.class, sim.state());
        sim.runUntil(Duration.ofSeconds(40));
        // The Timer E pending from Trying (due at 3.5 s) still fires; after it, T2 each time.
        assertEquals(msList(0, 500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500),
                sim.times(SendRequest.class));
        assertEquals(msList(32_000), sim.times(NotifyTuTimeout.class));
    }

    @Test
    void anEarlyProvisionalSwitchesTimerEToT2AtItsNextFiring() {
        var sim = udp();
        sim.runUntil(ms(200));
        sim.on(new ResponseReceived(100));
        sim.runUntil(ms(20_000));
        assertEquals(msList(0, 500, 4_500, 8_500, 12_500, 16_500), sim.times(SendRequest.class));
        assertEquals(List.of(new PassToTu(180)), sim.on(new ResponseReceived(180)).actions());
    }

    @Test
    void aFinalResponseGoesToTheTuAndItsRetransmissionsAreAbsorbedUntilTimerK() {
        var sim = udp();
        sim.runUntil(ms(1_000));
        var t = sim.on(new ResponseReceived(200));
        assertEquals(List.of(new PassToTu(200), new CancelTimer(TimerName.E), new CancelTimer(TimerName.F),
                new StartTimer(TimerName.K, T0.plus(ms(1_000 + 5_000)))), t.actions());
        assertInstanceOf(NonInviteClientTransaction.Completed.class, sim.state());

        assertEquals(List.of(), sim.on(new ResponseReceived(200)).actions());
        assertEquals(List.of(), sim.on(new ResponseReceived(100)).actions());
        assertEquals(List.of(), sim.on(new TransportError()).actions());
        sim.runUntil(ms(5_999));
        assertFalse(sim.terminated());
        sim.runUntil(ms(6_000));
        assertTrue(sim.terminated());
        assertEquals(msList(0, 500), sim.times(SendRequest.class));
        assertEquals(List.of(), sim.all(NotifyTuTimeout.class));
    }

    @Test
    void aFailureFromProceedingCompletesToo() {
        var sim = udp();
        sim.on(new ResponseReceived(100));
        var t = sim.on(new ResponseReceived(404));
        assertEquals(new PassToTu(404), t.actions().get(0));
        assertInstanceOf(NonInviteClientTransaction.Completed.class, sim.state());
    }

    @Test
    void overTcpAFinalResponseEndsTheTransactionAtOnce() {
        var sim = tcp();
        var t = sim.on(new ResponseReceived(401));
        assertEquals(List.of(new PassToTu(401), new Terminate()), t.actions());
        assertInstanceOf(NonInviteClientTransaction.Terminated.class, sim.state());
    }

    @Test
    void aTransportErrorInTryingOrProceedingTellsTheTuAndEnds() {
        var trying = udp();
        assertEquals(List.of(new NotifyTuTransportError(), new Terminate()),
                trying.on(new TransportError()).actions());
        var proceeding = udp();
        proceeding.on(new ResponseReceived(100));
        assertEquals(List.of(new NotifyTuTransportError(), new Terminate()),
                proceeding.on(new TransportError()).actions());
    }

    @Test
    void timersOfOtherStatesAreAbsorbed() {
        var sim = udp();
        assertEquals(List.of(), sim.on(new TimerFired(TimerName.K)).actions());
        sim.on(new ResponseReceived(200));
        assertEquals(List.of(), sim.on(new TimerFired(TimerName.E)).actions());
        assertEquals(List.of(), sim.on(new TimerFired(TimerName.F)).actions());
        assertInstanceOf(NonInviteClientTransaction.Completed.class, sim.state());
    }
}
