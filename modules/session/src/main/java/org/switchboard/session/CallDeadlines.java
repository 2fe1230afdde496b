package org.switchboard.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.session.CallTimers.SessionExpiry;
import org.switchboard.session.CallTimers.MaxDurationKey;
import org.switchboard.session.CallTimers.SessionKey;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.api.CheckDeadline;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.SendPaths;
import org.switchboard.transport.api.TransportCommand;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.pattern.StatusReply;

/**
 * When an answered call ends without a BYE: its session timer ran out (RFC 4028 §10) or it lasted
 * {@code session.max-call-duration}. The entity runs both timers while it is awake (see {@link CallDeadline});
 * when it is not, the node's call sweeper wakes it with {@link CheckDeadline}. A call that is due is ended on both
 * sides with BYEs of the proxy's own and a {@code CallEnded}.
 */
final class CallDeadlines implements CallTimers.SessionTimerArm {
    private static final Logger log = LoggerFactory.getLogger(CallDeadlines.class);
    /** The end cause of a call the operator hung up. */
    static final String OPERATOR = "ended by the operator";

    private final String callId;
    private final SessionSettings settings;
    private final TimerScheduler<CallCommand> timers;
    private final EffectFactories<CallEvent, CallState> effects;
    private final DialogCseqs cseqs;
    private final RegistrarAsks registrar;
    /** The transport that handled this call's last message (or any), for the proxy's own BYEs. */
    private final Supplier<Optional<ActorRef<TransportCommand>>> transport;
    /** This node's cluster address, written into {@code CallEnded}. */
    private final String node;

    CallDeadlines(String callId, SessionSettings settings, TimerScheduler<CallCommand> timers,
                  EffectFactories<CallEvent, CallState> effects, DialogCseqs cseqs, RegistrarAsks registrar,
                  Supplier<Optional<ActorRef<TransportCommand>>> transport, String node) {
        this.callId = callId;
        this.node = node;
        this.settings = settings;
        this.timers = timers;
        this.effects = effects;
        this.cseqs = cseqs;
        this.registrar = registrar;
        this.transport = transport;
    }

    /** Arms the session timer and the maximum-duration timer from the persisted state. */
    @Override
    public void arm(CallState state) {
        if (!(state instanceof CallState.Answered a)) {
            return;
        }
        long now = settings.clock().millis();
        if (a.sessionExpiresAtMillis() > 0) {
            timers.startSingleTimer(new SessionKey(), new SessionExpiry(),
                    Duration.ofMillis(Math.max(0, a.sessionExpiresAtMillis() - now)));
        }
        long end = CallDeadline.maxDurationEnd(a.answeredAtMillis(), settings.maxCallDuration());
        if (end != CallDeadline.NEVER) {
            timers.startSingleTimer(new MaxDurationKey(), new CheckDeadline(), Duration.ofMillis(Math.max(0, end - now)));
        }
    }

    @Override
    public void stop() {
        timers.cancel(new SessionKey());
        timers.cancel(new MaxDurationKey());
    }

    /**
     * A timer of ours, or the call sweeper waking a call that is due: a call whose session ran out or that lasted the
     * maximum duration ends on both sides; one not due yet (a refresh the sweeper had not seen) arms its timers again.
     */
    Effect<CallEvent, CallState> check(CallState state) {
        long now = settings.clock().millis();
        if (!(state instanceof CallState.Answered a)
                || !(CallDeadline.decide(state, now, settings.maxCallDuration()) instanceof CallDeadline.End end)) {
            arm(state);
            return effects.none();
        }
        return end(a, end.cause(), now);
    }

    /** The operator hangs the call up (admin API): ended like a call that is due, or an error if it is not up. */
    Effect<CallEvent, CallState> hangUp(CallState state, ActorRef<StatusReply<Done>> replyTo) {
        if (!(state instanceof CallState.Answered a)) {
            replyTo.tell(StatusReply.error("call " + callId + " is not up"));
            return effects.none();
        }
        return end(a, OPERATOR, settings.clock().millis()).thenRun(s -> replyTo.tell(StatusReply.ack()));
    }

    private EffectBuilder<CallEvent, CallState> end(CallState.Answered a, String cause, long now) {
        Dialog d = cseqs.update(a.dialog());
        List<SessionTeardown.Bye> byes = SessionTeardown.byes(settings, d, d.callerCseq(), d.calleeCseq(), cause);
        stop();
        String by = cause.equals(OPERATOR) ? "operator" : cause.equals(SessionTeardown.REASON) ? "timer" : "node";
        return effects.persist(new CallEvent.CallEnded(cause, now, by, node))
                .thenRun(s -> {
                    CallLog.ended(callId, cause, by, a, now);
                    byes.forEach(bye -> transport.get().ifPresentOrElse(t -> SendPaths.send(t, new Send(bye.bytes(), bye.destination())),
                            () -> log.warn("call {}: no transport known to send a BYE of our own", callId)));
                    registrar.callFinished(d.from());
                });
    }
}
