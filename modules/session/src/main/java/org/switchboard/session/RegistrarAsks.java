package org.switchboard.session;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.registrar.api.AwakeRegistrations;
import org.switchboard.registrar.api.CallFinished;
import org.switchboard.registrar.api.CheckCredentials;
import org.switchboard.registrar.api.CredentialsVerdict;
import org.switchboard.registrar.api.DirectCommand;
import org.switchboard.registrar.api.GruuTarget;
import org.switchboard.registrar.api.Lookup;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.registrar.api.RegistrationCommand;
import org.switchboard.registrar.api.RegistrationEntity;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.proxy.InviteKey;
import org.switchboard.session.proxy.RequestKey;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Envelope;
import org.switchboard.sip.HeaderName;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipUri;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * What a call asks the registrar (the caller's credentials, the callee's bindings) and how a failed ask is asked
 * again. The answers come back to the Call entity as its own commands.
 */
final class RegistrarAsks {
    private static final Logger log = LoggerFactory.getLogger(RegistrarAsks.class);

    /**
     * Asks per question before the caller gets 503: with the 3 s lookup timeout and {@link #PAUSE} between asks,
     * up to 19 s, what a rolling restart of the core nodes needs to move a Registration shard twice. The caller
     * has had its 100 Trying; its INVITE retransmissions are absorbed meanwhile.
     */
    static final int ATTEMPTS = 5;
    /**
     * Between a failed ask and the next: an ask from a node that is leaving fails at once (its own Registration
     * region has stopped), and asking again at once would spend every attempt in milliseconds.
     */
    static final Duration PAUSE = Duration.ofSeconds(1);

    record CalleeFound(InviteKey key, LookupResult result, Optional<String> diversion, int depth,
                       Optional<GruuTarget> gruu) implements CallCommand {
        CalleeFound(InviteKey key, LookupResult result, Optional<String> diversion, int depth) {
            this(key, result, diversion, depth, Optional.empty());
        }
    }

    record CallerChecked(InviteKey key, CredentialsVerdict verdict) implements CallCommand {
    }

    /**
     * An ask failed (its shard moving between nodes, say): the callee's lookup when {@code callee} is present, else
     * the caller's credentials check.
     */
    record LookupFailed(InviteKey key, String reason, int attempt, Optional<CalleeLookup> callee) implements CallCommand {
    }

    record CalleeLookup(String aor, Optional<String> diversion, int depth, Optional<GruuTarget> gruu) {
    }

    /** The pause after a failed ask is over: ask again. */
    record AskAgain(LookupFailed failed) implements CallCommand {
    }

    private final ActorContext<CallCommand> context;
    private final TimerScheduler<CallCommand> timers;
    private final SessionSettings settings;
    private final String callId;

    RegistrarAsks(ActorContext<CallCommand> context, TimerScheduler<CallCommand> timers, SessionSettings settings,
                  String callId) {
        this.context = context;
        this.timers = timers;
        this.settings = settings;
        this.callId = callId;
    }

    void checkCaller(ProxiedInvite tx, int attempt) {
        InviteKey key = tx.key();
        ask(CredentialsVerdict.class, tx.request.from().uri().addressOfRecord(),
                replyTo -> new CheckCredentials("INVITE", tx.request.requestUriText(),
                        tx.request.headers(HeaderName.PROXY_AUTHORIZATION), callId, tx.envelope.remote(),
                        tx.envelope.replyTo(), replyTo),
                (verdict, failure) -> verdict != null ? new CallerChecked(key, verdict)
                        : new LookupFailed(key, String.valueOf(failure), attempt, Optional.empty()));
    }

    /**
     * The call is over (failed, or ended after an answer): the caller's Registration entity stops counting it
     * against the caller's concurrent-call limit. Call it wherever a {@code CallFailed} or {@code CallEnded} is
     * persisted, with the caller's From header value. Only callers that {@link #checkCaller} may have admitted are
     * told (our domain, callers authenticated); for any other the entity has nothing to release.
     */
    void callFinished(String fromHeaderValue) {
        if (!settings.authenticateCallers()) {
            return;
        }
        SipUri from;
        try {
            from = NameAddress.parse(fromHeaderValue).uri();
        } catch (RuntimeException e) {
            return; // a From that does not parse was never admitted
        }
        if (from.isSip() && settings.domains().contains(from.host().toLowerCase(java.util.Locale.ROOT))) {
            String aor = from.addressOfRecord();
            AwakeRegistrations.get(context.getSystem()).deliver(new DirectCommand(aor, new CallFinished(callId)));
        }
    }

    /**
     * The sender of an out-of-dialog request other than INVITE proves who it is (the registrar admits it without
     * counting a call: only INVITEs count against the call limits). A failed ask ends the request with 503.
     */
    void checkSender(RequestKey key, SipRequest request, Envelope envelope) {
        ask(CredentialsVerdict.class, request.from().uri().addressOfRecord(),
                replyTo -> new CheckCredentials(request.method(), request.requestUriText(),
                        request.headers(HeaderName.PROXY_AUTHORIZATION), callId, envelope.remote(),
                        envelope.replyTo(), replyTo),
                (verdict, failure) -> verdict != null ? new Requests.SenderChecked(key, verdict)
                        : new Requests.RequestAskFailed(key, String.valueOf(failure)));
    }

    /** The bindings of the user an out-of-dialog request other than INVITE is for. */
    void lookupFor(RequestKey key, String aor) {
        ask(LookupResult.class, aor, Lookup::new,
                (result, failure) -> result != null ? new Requests.TargetsFound(key, result)
                        : new Requests.RequestAskFailed(key, String.valueOf(failure)));
    }

    void lookup(InviteKey key, String aor, Optional<String> diversion, int depth) {
        lookup(key, aor, diversion, depth, Optional.empty(), 1);
    }

    /** As above, for one device of the AOR when {@code gruu} names it (RFC 5627). */
    void lookup(InviteKey key, String aor, Optional<String> diversion, int depth, Optional<GruuTarget> gruu) {
        lookup(key, aor, diversion, depth, gruu, 1);
    }

    private void lookup(InviteKey key, String aor, Optional<String> diversion, int depth, Optional<GruuTarget> gruu,
                        int attempt) {
        ask(LookupResult.class, aor, Lookup::new,
                (result, failure) -> result != null ? new CalleeFound(key, result, diversion, depth, gruu)
                        : new LookupFailed(key, String.valueOf(failure), attempt,
                        Optional.of(new CalleeLookup(aor, diversion, depth, gruu))));
    }

    /**
     * Asks {@code aor}'s Registration entity: straight to it when it is awake on this node (one actor hop each way
     * instead of three: sharding's region and shard relay every message), else through sharding.
     */
    private <R> void ask(Class<R> answer, String aor, Function<ActorRef<R>, RegistrationCommand> question,
                         BiFunction<R, Throwable, CallCommand> toCommand) {
        Optional<ActorRef<RegistrationCommand>> awake = AwakeRegistrations.get(context.getSystem()).find(aor);
        if (awake.isPresent()) {
            context.ask(answer, awake.get(), settings.lookupTimeout(),
                    replyTo -> new DirectCommand(aor, question.apply(replyTo)), toCommand::apply);
        } else {
            context.ask(answer, ClusterSharding.get(context.getSystem()).entityRefFor(RegistrationEntity.KEY, aor),
                    settings.lookupTimeout(), question::apply, toCommand::apply);
        }
    }

    /**
     * Asks the failed question again after {@link #PAUSE} and returns true, or returns false once it has been asked
     * {@link #ATTEMPTS} times (never on a node that is shutting down).
     */
    boolean retry(LookupFailed failed) {
        // on a node that is shutting down the asks fail at once (its Registration region has stopped) and keep
        // failing; the call does not give up there: its hand-off moves it to another node, which asks again
        boolean leaving = CoordinatedShutdown.get(context.getSystem()).getShutdownReason().isPresent();
        if (failed.attempt() >= ATTEMPTS && !leaving) {
            log.warn("registrar ask for call {} failed {} times: {}", callId, failed.attempt(), failed.reason());
            return false;
        }
        log.info("registrar ask for call {} failed (attempt {}), asking again: {}", callId, failed.attempt(), failed.reason());
        timers.startSingleTimer(new CallTimers.AskKey(failed.key()), new AskAgain(failed), PAUSE);
        return true;
    }

    void askAgain(AskAgain again, ProxiedInvite tx) {
        LookupFailed failed = again.failed();
        failed.callee().ifPresentOrElse(c -> lookup(failed.key(), c.aor(), c.diversion(), c.depth(), c.gruu(),
                        failed.attempt() + 1),
                () -> checkCaller(tx, failed.attempt() + 1));
    }
}
