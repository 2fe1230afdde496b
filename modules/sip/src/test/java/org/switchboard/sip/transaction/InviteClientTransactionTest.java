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
import org.switchboard.sip.transaction.Action.SendAck;
import org.switchboard.sip.transaction.Action.SendRequest;
import org.switchboard.sip.transaction.Action.StartTimer;
import org.switchboard.sip.transaction.Action.Terminate;
import org.switchboard.sip.transaction.TransactionEvent.ClientEvent;
import org.switchboard.sip.transaction.TransactionEvent.ResponseReceived;
import org.switchboard.sip.transaction.TransactionEvent.TimerFired;
import org.switchboard.sip.transaction.TransactionEvent.TransportError;

/** RFC 3261 §17.1.1 and RFC 6026 §7.2, with the default T1 = 500 ms. */
class InviteClientTransactionTest {
    private static final TransactionTimers DEFAULT = TransactionTimers.DEFAULT;

    private static Sim<InviteClientTransaction, ClientEvent> udp() {
        return Sim.inviteClient(DEFAULT, false);
    }

    private static Sim<InviteClientTransaction, ClientEvent> tcp() {
        return Sim.inviteClient(DEFAULT, true);
    }

    @Test
    void startSendsTheInviteAndStartsTimersAAndB() {
        var t = InviteClientTransaction.start(DEFAULT, false, T0);
        assertEquals(List.of(new SendRequest(), new StartTimer(TimerName.A, T0.plus(ms(500))),
                new StartTimer(TimerName.B, T0.plus(ms(32_000)))), t.actions());
        assertInstanceOf(InviteClientTransaction.Calling.class, t.next());
    }

    @Test
    void overUdpTimerADoublesUntilTimerBTimesOutAt64T1() {
        var sim = udp();
        sim.runUntil(Duration.ofSeconds(40));
        assertEquals(msList(0, 500, 1_500, 3_500, 7_500, 15_500, 31_500), sim.times(SendRequest.class));
        assertEquals(msList(32_000), sim.times(NotifyTuTimeout.class));
        assertInstanceOf(InviteClientTransaction.Terminated.class, sim.state());
        assertTrue(sim.pending().isEmpty());
    }

    @Test
    void overTcpTheInviteIsSentOnceAndStillTimesOut() {
        var sim = tcp();
        assertEquals(Map.of(TimerName.B, ms(32_000)), sim.pending());
        sim.runUntil(Duration.ofSeconds(40));
        assertEquals(msList(0), sim.times(SendRequest.class));
        assertEquals(msList(32_000), sim.times(NotifyTuTimeout.class));
        assertTrue(sim.terminated());
    }

    @Test
    void aProvisionalResponseStopsRetransmissionsAndTimerB() {
        var sim = udp();
        sim.runUntil(ms(1_000));
        var t = sim.on(new ResponseReceived(180));
        assertEquals(List.of(new PassToTu(180), new CancelTimer(TimerName.A), new CancelTimer(TimerName.B)),
                t.actions());
        assertInstanceOf(InviteClientTransaction.Proceeding.class, sim.state());
        // An INVITE may ring for minutes: no retransmission and no timeout from the transaction.
        sim.runUntil(Duration.ofMinutes(5));
        assertEquals(msList(0, 500), sim.times(SendRequest.class));
        assertFalse(sim.terminated());
        assertEquals(List.of(new PassToTu(183)), sim.on(new ResponseReceived(183)).actions());
    }

    @Test
    void aLateTimerAfterItsStateIsAbsorbed() {
        var sim = udp();
        sim.on(new ResponseReceived(100));
        assertEquals(List.of(), sim.on(new TimerFired(TimerName.A)).actions());
        assertEquals(List.of(), sim.on(new TimerFired(TimerName.B)).actions());
        assertInstanceOf(InviteClientTransaction.Proceeding.class, sim.state());
    }

    @Test
    void overUdpAFailureIsAckedAndItsRetransmissionsAckedAgainUntilTimerD() {
        var sim = udp();
        sim.on(new ResponseReceived(100));
        sim.runUntil(ms(2_000));
        var t = sim.on(new ResponseReceived(486));
        assertEquals(List.of(new SendAck(), new PassToTu(486),
                new StartTimer(TimerName.D, T0.plus(ms(2_000 + 32_000)))), t.actions());
        assertInstanceOf(InviteClientTransaction.Completed.class, sim.state());

        sim.runUntil(ms(2_500));
        // The server retransmits the final because our ACK was lost: ACK again, but the TU has it already.
        assertEquals(List.of(new SendAck()), sim.on(new ResponseReceived(486)).actions());
        assertEquals(List.of(), sim.on(new ResponseReceived(180)).actions());
        assertEquals(List.of(), sim.on(new ResponseReceived(200)).actions());

        sim.runUntil(ms(33_999));
        assertFalse(sim.terminated());
        sim.runUntil(ms(34_000));
        assertTrue(sim.terminated());
        assertEquals(List.of(new PassToTu(100), new PassToTu(486)), sim.all(PassToTu.class));
        assertEquals(msList(2_000, 2_500), sim.times(SendAck.class));
    }

    @Test
    void aFailureInCallingCancelsTimersAAndB() {
        var sim = udp();
        sim.runUntil(ms(600));
        var t = sim.on(new ResponseReceived(404));
        assertEquals(List.of(new SendAck(), new PassToTu(404), new CancelTimer(TimerName.A),
                new CancelTimer(TimerName.B), new StartTimer(TimerName.D, T0.plus(ms(32_600)))), t.actions());
        assertEquals(Map.of(TimerName.D, ms(32_600)), sim.pending());
        sim.runUntil(Duration.ofSeconds(60));
        assertEquals(msList(0, 500), sim.times(SendRequest.class));
        assertEquals(List.of(), sim.all(NotifyTuTimeout.class));
    }

    @Test
    void overTcpAFailureIsAckedAndTheTransactionEndsAtOnce() {
        var sim = tcp();
        var t = sim.on(new ResponseReceived(503));
        assertEquals(List.of(new SendAck(), new PassToTu(503), new Terminate()), t.actions());
        assertInstanceOf(InviteClientTransaction.Terminated.class, sim.state());
    }

    @Test
    void a2xxLeadsToAcceptedWhereRetransmissionsAndForksReachTheTuUntilTimerM() {
        var sim = udp();
        sim.on(new ResponseReceived(180));
        sim.runUntil(ms(5_000));
        var t = sim.on(new ResponseReceived(200));
        assertEquals(List.of(new PassToTu(200), new StartTimer(TimerName.M, T0.plus(ms(5_000 + 32_000)))),
                t.actions());
        assertInstanceOf(InviteClientTransaction.Accepted.class, sim.state());

        // The transaction never ACKs a 2xx; retransmitted or forked 2xx go up for the TU to ACK.
        assertEquals(List.of(new PassToTu(200)), sim.on(new ResponseReceived(200)).actions());
        assertEquals(List.of(new PassToTu(202)), sim.on(new ResponseReceived(202)).actions());
        assertEquals(List.of(), sim.on(new ResponseReceived(486)).actions());
        assertEquals(List.of(), sim.on(new ResponseReceived(180)).actions());
        assertEquals(List.of(), sim.on(new TransportError()).actions());

        sim.runUntil(ms(36_999));
        assertFalse(sim.terminated());
        sim.runUntil(ms(37_000));
        assertTrue(sim.terminated());
        assertEquals(List.of(), sim.all(SendAck.class));
    }

    @Test
    void a2xxInCallingCancelsRetransmissionsAndTimerMIsNotShortenedOverTcp() {
        var udp = udp();
        var t = udp.on(new ResponseReceived(200));
        assertEquals(List.of(new PassToTu(200), new CancelTimer(TimerName.A), new CancelTimer(TimerName.B),
                new StartTimer(TimerName.M, T0.plus(ms(32_000)))), t.actions());

        // Timer M waits for 2xx from other forks, which a reliable first hop does not make any less likely.
        var tcp = tcp();
        tcp.on(new ResponseReceived(200));
        assertEquals(Map.of(TimerName.M, ms(32_000)), tcp.pending());
    }

    @Test
    void aTransportErrorInCallingOrCompletedTellsTheTuAndEnds() {
        var calling = udp();
        assertEquals(List.of(new NotifyTuTransportError(), new Terminate()),
                calling.on(new TransportError()).actions());

        var completed = udp();
        completed.on(new ResponseReceived(480));
        assertEquals(List.of(new NotifyTuTransportError(), new Terminate()),
                completed.on(new TransportError()).actions());
        assertInstanceOf(InviteClientTransaction.Terminated.class, completed.state());
    }

    @Test
    void aTerminatedTransactionIgnoresEverything() {
        var sim = tcp();
        sim.on(new ResponseReceived(500));
        assertEquals(List.of(), sim.on(new ResponseReceived(500)).actions());
        assertEquals(List.of(), sim.on(new TimerFired(TimerName.D)).actions());
    }

    @Test
    void aLargerT1ScalesEveryTimer() {
        var timers = new TransactionTimers(Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(5));
        var sim = Sim.inviteClient(timers, false);
        sim.runUntil(Duration.ofSeconds(100));
        assertEquals(msList(0, 1_000, 3_000, 7_000, 15_000, 31_000, 63_000), sim.times(SendRequest.class));
        assertEquals(msList(64_000), sim.times(NotifyTuTimeout.class));
    }
}
