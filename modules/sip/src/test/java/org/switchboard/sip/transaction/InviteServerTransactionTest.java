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
import org.switchboard.sip.transaction.Action.PassAckToTu;
import org.switchboard.sip.transaction.Action.PassRequestToTu;
import org.switchboard.sip.transaction.Action.ResendLastResponse;
import org.switchboard.sip.transaction.Action.SendResponse;
import org.switchboard.sip.transaction.Action.SendTrying;
import org.switchboard.sip.transaction.Action.StartTimer;
import org.switchboard.sip.transaction.Action.Terminate;
import org.switchboard.sip.transaction.TransactionEvent.AckReceived;
import org.switchboard.sip.transaction.TransactionEvent.RequestRetransmitted;
import org.switchboard.sip.transaction.TransactionEvent.ServerEvent;
import org.switchboard.sip.transaction.TransactionEvent.TimerFired;
import org.switchboard.sip.transaction.TransactionEvent.TransportError;
import org.switchboard.sip.transaction.TransactionEvent.TuResponse;

/** RFC 3261 §17.2.1 and RFC 6026 §7.1, with T1 = 500 ms, T2 = 4 s, T4 = 5 s. */
class InviteServerTransactionTest {
    private static final TransactionTimers DEFAULT = TransactionTimers.DEFAULT;

    private static Sim<InviteServerTransaction, ServerEvent> udp() {
        return Sim.inviteServer(DEFAULT, false);
    }

    private static Sim<InviteServerTransaction, ServerEvent> tcp() {
        return Sim.inviteServer(DEFAULT, true);
    }

    @Test
    void startPassesTheInviteUpAndSendsA100WithoutTimers() {
        var t = InviteServerTransaction.start(DEFAULT, false, T0);
        assertEquals(List.of(new PassRequestToTu(), new SendTrying()), t.actions());
        assertInstanceOf(InviteServerTransaction.Proceeding.class, t.next());
    }

    @Test
    void inProceedingARetransmittedInviteGetsTheLastProvisionalAgain() {
        var sim = udp();
        assertEquals(List.of(new ResendLastResponse(100)), sim.on(new RequestRetransmitted()).actions());
        assertEquals(List.of(new SendResponse(180)), sim.on(new TuResponse(180)).actions());
        assertEquals(List.of(new ResendLastResponse(180)), sim.on(new RequestRetransmitted()).actions());
        assertEquals(List.of(new SendResponse(183)), sim.on(new TuResponse(183)).actions());
        assertEquals(List.of(new ResendLastResponse(183)), sim.on(new RequestRetransmitted()).actions());
        assertEquals(List.of(), sim.on(new AckReceived()).actions());
        assertInstanceOf(InviteServerTransaction.Proceeding.class, sim.state());
        assertTrue(sim.pending().isEmpty());
    }

    @Test
    void overUdpAFailureIsRetransmittedOnTimerGCappedAtT2UntilTimerHTellsTheTu() {
        var sim = udp();
        var t = sim.on(new TuResponse(486));
        assertEquals(List.of(new SendResponse(486), new StartTimer(TimerName.G, T0.plus(ms(500))),
                new StartTimer(TimerName.H, T0.plus(ms(32_000)))), t.actions());
        assertInstanceOf(InviteServerTransaction.Completed.class, sim.state());
        sim.runUntil(Duration.ofSeconds(40));
        // Intervals 0.5, 1, 2, 4, 4, 4 ... s.
        assertEquals(msList(500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500),
                sim.times(ResendLastResponse.class));
        assertEquals(List.of(new ResendLastResponse(486)), sim.all(ResendLastResponse.class).subList(0, 1));
        // No ACK came: the TU hears of it.
        assertEquals(msList(32_000), sim.times(NotifyTuTimeout.class));
        assertInstanceOf(InviteServerTransaction.Terminated.class, sim.state());
    }

    @Test
    void anAckConfirmsAndItsRetransmissionsAreAbsorbedUntilTimerI() {
        var sim = udp();
        sim.on(new TuResponse(404));
        sim.runUntil(ms(2_000));
        assertEquals(List.of(new ResendLastResponse(404)), sim.on(new RequestRetransmitted()).actions());
        var t = sim.on(new AckReceived());
        assertEquals(List.of(new CancelTimer(TimerName.G), new CancelTimer(TimerName.H),
                new StartTimer(TimerName.I, T0.plus(ms(2_000 + 5_000)))), t.actions());
        assertInstanceOf(InviteServerTransaction.Confirmed.class, sim.state());

        assertEquals(List.of(), sim.on(new AckReceived()).actions());
        assertEquals(List.of(), sim.on(new RequestRetransmitted()).actions());
        sim.runUntil(ms(6_999));
        assertFalse(sim.terminated());
        sim.runUntil(ms(7_000));
        assertTrue(sim.terminated());
        // G fired at 0.5 and 1.5 s only; the ACK quenched the rest, and nothing reached the TU.
        assertEquals(msList(500, 1_500, 2_000), sim.times(ResendLastResponse.class));
        assertEquals(List.of(), sim.all(NotifyTuTimeout.class));
        assertEquals(List.of(), sim.all(PassAckToTu.class));
    }

    @Test
    void inCompletedAnotherResponseFromTheTuIsDiscarded() {
        var sim = udp();
        sim.on(new TuResponse(500));
        assertEquals(List.of(), sim.on(new TuResponse(200)).actions());
        assertEquals(List.of(), sim.on(new TuResponse(503)).actions());
        assertInstanceOf(InviteServerTransaction.Completed.class, sim.state());
    }

    @Test
    void overTcpTheFailureIsSentOnceAndTheAckEndsTheTransactionAtOnce() {
        var sim = tcp();
        var t = sim.on(new TuResponse(603));
        assertEquals(List.of(new SendResponse(603), new StartTimer(TimerName.H, T0.plus(ms(32_000)))),
                t.actions());
        assertEquals(Map.of(TimerName.H, ms(32_000)), sim.pending());
        sim.runUntil(ms(1_000));
        assertEquals(List.of(new Terminate()), sim.on(new AckReceived()).actions());
        assertInstanceOf(InviteServerTransaction.Terminated.class, sim.state());
        assertEquals(List.of(), sim.all(ResendLastResponse.class));
    }

    @Test
    void overTcpTimerHStillTimesOutWithoutAnAck() {
        var sim = tcp();
        sim.on(new TuResponse(480));
        sim.runUntil(Duration.ofSeconds(40));
        assertEquals(msList(32_000), sim.times(NotifyTuTimeout.class));
    }

    @Test
    void a2xxLeadsToAcceptedWhichAbsorbsInvitesAndPassesAcksUntilTimerL() {
        var sim = udp();
        sim.on(new TuResponse(180));
        sim.runUntil(ms(3_000));
        var t = sim.on(new TuResponse(200));
        assertEquals(List.of(new SendResponse(200), new StartTimer(TimerName.L, T0.plus(ms(3_000 + 32_000)))),
                t.actions());
        assertInstanceOf(InviteServerTransaction.Accepted.class, sim.state());

        // The 2xx is retransmitted by the TU, not here; INVITE retransmissions must not look like new requests.
        assertEquals(List.of(), sim.on(new RequestRetransmitted()).actions());
        assertEquals(List.of(new PassAckToTu()), sim.on(new AckReceived()).actions());
        assertEquals(List.of(new PassAckToTu()), sim.on(new AckReceived()).actions());
        assertEquals(List.of(new SendResponse(200)), sim.on(new TuResponse(200)).actions());
        assertEquals(List.of(), sim.on(new TuResponse(486)).actions());
        assertEquals(List.of(), sim.on(new TuResponse(180)).actions());

        sim.runUntil(ms(34_999));
        assertFalse(sim.terminated());
        sim.runUntil(ms(35_000));
        assertTrue(sim.terminated());
        assertEquals(List.of(), sim.all(ResendLastResponse.class));
        assertEquals(List.of(), sim.all(NotifyTuTimeout.class));
    }

    @Test
    void overTcpTimerLIsStill64T1() {
        var sim = tcp();
        sim.on(new TuResponse(200));
        assertEquals(Map.of(TimerName.L, ms(32_000)), sim.pending());
    }

    @Test
    void aTransportErrorIsReportedButKeepsTheTransactionPerRfc6026() {
        var proceeding = udp();
        assertEquals(List.of(new NotifyTuTransportError()), proceeding.on(new TransportError()).actions());
        assertInstanceOf(InviteServerTransaction.Proceeding.class, proceeding.state());

        var completed = udp();
        completed.on(new TuResponse(486));
        assertEquals(List.of(new NotifyTuTransportError()), completed.on(new TransportError()).actions());
        assertInstanceOf(InviteServerTransaction.Completed.class, completed.state());
        completed.runUntil(Duration.ofSeconds(40));
        assertTrue(completed.terminated());

        var accepted = udp();
        accepted.on(new TuResponse(200));
        assertEquals(List.of(new NotifyTuTransportError()), accepted.on(new TransportError()).actions());
        assertInstanceOf(InviteServerTransaction.Accepted.class, accepted.state());
    }

    @Test
    void timersOfOtherStatesAreAbsorbed() {
        var sim = udp();
        assertEquals(List.of(), sim.on(new TimerFired(TimerName.H)).actions());
        sim.on(new TuResponse(486));
        sim.on(new AckReceived());
        assertEquals(List.of(), sim.on(new TimerFired(TimerName.G)).actions());
        assertEquals(List.of(), sim.on(new TimerFired(TimerName.H)).actions());
        assertInstanceOf(InviteServerTransaction.Confirmed.class, sim.state());
    }
}
