package org.switchboard.sip.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.sip.transaction.Sim.T0;
import static org.switchboard.sip.transaction.Sim.ms;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.transaction.Action.NotifyTuTransportError;
import org.switchboard.sip.transaction.Action.PassRequestToTu;
import org.switchboard.sip.transaction.Action.ResendLastResponse;
import org.switchboard.sip.transaction.Action.SendResponse;
import org.switchboard.sip.transaction.Action.StartTimer;
import org.switchboard.sip.transaction.Action.Terminate;
import org.switchboard.sip.transaction.TransactionEvent.AckReceived;
import org.switchboard.sip.transaction.TransactionEvent.RequestRetransmitted;
import org.switchboard.sip.transaction.TransactionEvent.ServerEvent;
import org.switchboard.sip.transaction.TransactionEvent.TimerFired;
import org.switchboard.sip.transaction.TransactionEvent.TransportError;
import org.switchboard.sip.transaction.TransactionEvent.TuResponse;

/** RFC 3261 §17.2.2, with T1 = 500 ms. */
class NonInviteServerTransactionTest {
    private static final TransactionTimers DEFAULT = TransactionTimers.DEFAULT;

    private static Sim<NonInviteServerTransaction, ServerEvent> udp() {
        return Sim.nonInviteServer(DEFAULT, false);
    }

    private static Sim<NonInviteServerTransaction, ServerEvent> tcp() {
        return Sim.nonInviteServer(DEFAULT, true);
    }

    @Test
    void startPassesTheRequestUpAndSendsNothing() {
        var t = NonInviteServerTransaction.start(DEFAULT, false, T0);
        assertEquals(List.of(new PassRequestToTu()), t.actions());
        assertInstanceOf(NonInviteServerTransaction.Trying.class, t.next());
    }

    @Test
    void inTryingRetransmissionsAreAbsorbed() {
        var sim = udp();
        assertEquals(List.of(), sim.on(new RequestRetransmitted()).actions());
        assertEquals(List.of(), sim.on(new AckReceived()).actions());
        assertInstanceOf(NonInviteServerTransaction.Trying.class, sim.state());
    }

    @Test
    void inProceedingRetransmissionsGetTheLastProvisional() {
        var sim = udp();
        assertEquals(List.of(new SendResponse(100)), sim.on(new TuResponse(100)).actions());
        assertInstanceOf(NonInviteServerTransaction.Proceeding.class, sim.state());
        assertEquals(List.of(new ResendLastResponse(100)), sim.on(new RequestRetransmitted()).actions());
        assertEquals(List.of(new SendResponse(100)), sim.on(new TuResponse(100)).actions());
    }

    @Test
    void overUdpTheFinalIsResentForRetransmissionsUntilTimerJAt64T1() {
        var sim = udp();
        sim.on(new TuResponse(100));
        sim.runUntil(ms(1_000));
        var t = sim.on(new TuResponse(200));
        assertEquals(List.of(new SendResponse(200), new StartTimer(TimerName.J, T0.plus(ms(1_000 + 32_000)))),
                t.actions());
        assertInstanceOf(NonInviteServerTransaction.Completed.class, sim.state());

        assertEquals(List.of(new ResendLastResponse(200)), sim.on(new RequestRetransmitted()).actions());
        // The client already has a final response; any other from the TU is discarded.
        assertEquals(List.of(), sim.on(new TuResponse(500)).actions());
        sim.runUntil(ms(32_999));
        assertFalse(sim.terminated());
        sim.runUntil(ms(33_000));
        assertTrue(sim.terminated());
    }

    @Test
    void aFinalResponseCanComeStraightFromTrying() {
        var sim = udp();
        assertEquals(List.of(new SendResponse(404), new StartTimer(TimerName.J, T0.plus(ms(32_000)))),
                sim.on(new TuResponse(404)).actions());
        assertEquals(List.of(new ResendLastResponse(404)), sim.on(new RequestRetransmitted()).actions());
    }

    @Test
    void overTcpTimerJIsZeroSoTheFinalEndsTheTransaction() {
        var sim = tcp();
        assertEquals(List.of(new SendResponse(200), new Terminate()), sim.on(new TuResponse(200)).actions());
        assertInstanceOf(NonInviteServerTransaction.Terminated.class, sim.state());
        assertTrue(sim.pending().isEmpty());
    }

    @Test
    void aTransportErrorTellsTheTuAndEnds() {
        var proceeding = udp();
        proceeding.on(new TuResponse(100));
        assertEquals(List.of(new NotifyTuTransportError(), new Terminate()),
                proceeding.on(new TransportError()).actions());

        var completed = udp();
        completed.on(new TuResponse(200));
        assertEquals(List.of(new NotifyTuTransportError(), new Terminate()),
                completed.on(new TransportError()).actions());
        assertInstanceOf(NonInviteServerTransaction.Terminated.class, completed.state());
    }

    @Test
    void timersOfOtherStatesAreAbsorbed() {
        var sim = udp();
        assertEquals(List.of(), sim.on(new TimerFired(TimerName.J)).actions());
        assertInstanceOf(NonInviteServerTransaction.Trying.class, sim.state());
    }
}
