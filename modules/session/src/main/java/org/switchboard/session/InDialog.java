package org.switchboard.session;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.switchboard.session.proxy.BranchId;
import org.switchboard.session.proxy.ForwardedKey;
import org.switchboard.sip.HeaderName;
import org.switchboard.sip.Method;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.Via;
import org.switchboard.sip.transaction.TimerName;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;

import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EffectFactories;

/**
 * Requests inside a dialog (To tag) and the responses to them: routed by their Route set (see
 * {@link InDialogRouter}) when the dialog is the call's own, non-INVITE ones statefully (see
 * {@link ForwardedRequests}), re-INVITEs by an INVITE transaction of their own (see {@link Invites}); what they
 * change of the dialog (the end, a refresh, a transfer, a moved target) persisted before it is relayed.
 */
final class InDialog {
    private final String callId;
    private final SessionSettings settings;
    private final EffectFactories<CallEvent, CallState> effects;
    private final InDialogRouter router;
    private final ForwardedRequests forwarded;
    private final TransactionDriver driver;
    private final RegistrarAsks registrar;
    private final DialogCseqs cseqs;
    private final CallTimers.SessionTimerArm sessionTimer;
    private final Subscriptions subscriptions;
    private final TopologyHiding hiding;
    private Invites invites;
    private Consumer<CallState> ended = s -> { };

    /** This node's cluster address, written into {@code CallEnded}. */
    private final String node;

    InDialog(String callId, SessionSettings settings, EffectFactories<CallEvent, CallState> effects,
             TransactionDriver driver, RegistrarAsks registrar, DialogCseqs cseqs, CallTimers.SessionTimerArm sessionTimer,
             String node, Subscriptions subscriptions, TopologyHiding hiding) {
        this.callId = callId;
        this.node = node;
        this.settings = settings;
        this.effects = effects;
        this.router = new InDialogRouter(settings, callId);
        this.driver = driver;
        this.forwarded = new ForwardedRequests(driver);
        this.registrar = registrar;
        this.cseqs = cseqs;
        this.sessionTimer = sessionTimer;
        this.subscriptions = subscriptions;
        this.hiding = hiding;
    }

    /** The INVITEs of the same call, for re-INVITEs and early dialogs; set once, right after construction. */
    void proxying(Invites of) {
        this.invites = of;
    }

    /** What the entity does once a BYE has ended the call and its answer is relayed; set once, after construction. */
    void whenEnded(Consumer<CallState> then) {
        this.ended = then;
    }

    boolean isEmpty() {
        return forwarded.isEmpty();
    }

    /** No in-dialog request waits for an answer, each was answered promptly (and may still wait for Timer K). */
    boolean allAnsweredPromptly() {
        return forwarded.allAnsweredPromptly();
    }

    Optional<Envelope> anyEnvelope() {
        return forwarded.anyEnvelope();
    }

    /**
     * An in-dialog request: routed by its Route set when its dialog is ours, BYEs and the like statefully; one that
     * belongs to no dialog of ours gets 481 and goes nowhere. A 2xx's ACK goes on statelessly.
     */
    Effect<CallEvent, CallState> request(CallState state, Envelope env, SipRequest received, boolean stateful) {
        // from the trunk's side of a hidden dialog: to the Contact we masked, which is the caller's real one
        Optional<TopologyHiding.Restored> restored = hiding.restoreTarget(received);
        SipRequest request = restored.map(TopologyHiding.Restored::request).orElse(received);
        Optional<String> outer = restored.map(TopologyHiding.Restored::outer);
        long now = settings.clock().millis();
        if (subscriptions.ended(request, now) && !request.methodType().equals(Method.ACK)) {
            driver.send(env, request.response(481, "Subscription Does Not Exist").toTag(invites.toTag()).toBytes(),
                    Hops.upstream(env, request.topVia()));
            return effects.none();
        }
        if (request.methodType().equals(Method.NOTIFY)) {
            subscriptions.notified(request, now); // relayed still; the dialog's later requests get 481
        }
        boolean known = KnownDialogs.knows(state, invites.all(), request) || subscriptions.knows(request, now);
        Optional<Dialog> moved = known ? DialogTargets.refreshed(state, env, request) : Optional.empty();
        if (moved.isPresent()) {
            // the phone moved (new network, new connection): the dialog follows it before the request goes on
            return effects.persist(new CallEvent.RemoteTargetRefreshed(moved.get(), settings.clock().millis()))
                    .thenRun(s -> route(s, env, request, stateful, true, outer));
        }
        return route(state, env, request, stateful, known, outer);
    }

    private Effect<CallEvent, CallState> route(CallState state, Envelope env, SipRequest request, boolean stateful,
                                               boolean known, Optional<String> outer) {
        InDialogRouter.Decision decision = router.route(request, env.local(), known, DialogTargets.toward(state, request));
        if (decision instanceof InDialogRouter.Refuse r) {
            if (!request.methodType().equals(Method.ACK)) {
                driver.send(env, request.response(r.status(), r.reason()).toTag(invites.toTag()).toBytes(),
                        Hops.upstream(env, request.topVia()));
            }
            return effects.none();
        }
        InDialogRouter.Forward f = hidden((InDialogRouter.Forward) decision, request, outer);
        ForwardedKey key = new ForwardedKey(new BranchId(f.branch()), request.methodType());
        if (stateful && forwarded.absorb(key)) {
            return effects.none();
        }
        trackCseq(state, request);
        if (!stateful) {
            driver.send(env, f.forwarded().bytes(), f.downstream());
        } else if (request.methodType().equals(Method.INVITE)) {
            invites.reInvite(env, request, f);
        } else {
            forwarded.start(key, new ClientTransaction(request, env, Hops.upstream(env, request.topVia()),
                    f.forwarded(), f.downstream()));
        }
        return effects.none();
    }

    /**
     * Topology hiding of a hidden dialog: the caller's requests toward the trunk lose its Vias and Contact; the
     * trunk's requests toward the caller have the Contacts of their responses masked.
     */
    private InDialogRouter.Forward hidden(InDialogRouter.Forward f, SipRequest request, Optional<String> outer) {
        if (outer.isPresent()) {
            return new InDialogRouter.Forward(hiding.maskResponses(f.forwarded(), outer.get()), f.downstream(), f.branch());
        }
        return hiding.towardHidden(request)
                ? new InDialogRouter.Forward(hiding.hide(f.forwarded()), f.downstream(), f.branch()) : f;
    }

    /** A response to an in-dialog non-INVITE request, or to an INVITE whose transaction is gone. */
    Effect<CallEvent, CallState> response(CallState state, Envelope env, SipResponse response) {
        List<Via> vias = response.vias();
        Method method = response.cseq().methodType();
        if (method.equals(Method.INVITE)) {
            // without its transaction (a failover, or forgotten) a response goes up by its Via, statelessly
            if (response.isSuccess()) {
                return invites.answerWithoutTransaction(state, env, response);
            }
            Optional<TopologyHiding.Relayed> up = hiding.up(response).filter(u -> u.upstream().isPresent());
            if (up.isEmpty()) {
                return effects.none(); // no Via of the caller's left to say where it goes
            }
            return relay(state, response, () -> driver.send(env, up.get().bytes(), Hops.upstream(up.get().upstream().get())),
                    Optional.empty());
        }
        ForwardedKey key = new ForwardedKey(new BranchId(vias.get(0).branch().orElse("")), method);
        Optional<ClientTransaction> tx = forwarded.find(key);
        if (tx.isPresent() && !forwarded.onResponse(key, response.status())) {
            return effects.none(); // a retransmitted final: upstream has it, and gets it again if it asks again
        }
        Optional<TopologyHiding.Relayed> up = hiding.up(response);
        if (up.isEmpty() || (tx.isEmpty() && up.get().upstream().isEmpty())) {
            return effects.none();
        }
        // without a transaction (a failover, or its Timer K ran out) the Via alone says where the response goes
        if (response.isSuccess() && method.equals(Method.SUBSCRIBE)) {
            subscriptions.refreshed(response, settings.clock().millis());
        }
        Destination upstream = tx.map(ClientTransaction::upstream).orElseGet(() -> Hops.upstream(up.get().upstream().get()));
        Envelope via = tx.map(ClientTransaction::upstreamEnvelope).orElse(env);
        byte[] relayed = up.get().bytes();
        forwarded.relayed(key, relayed);
        return relay(state, response, () -> driver.send(via, relayed, upstream), tx);
    }

    /** A forwarded request's timer; Timer F answers 408 upstream (§16.7 step 2: a timeout counts as a 408). */
    Effect<CallEvent, CallState> timer(CallState state, ForwardedKey key, TimerName timer) {
        Optional<ClientTransaction> timedOut = forwarded.onTimer(key, timer);
        if (timedOut.isEmpty()) {
            return effects.none();
        }
        ClientTransaction tx = timedOut.get();
        SipResponse timeout = tx.received().response(408, "Request Timeout").toTag(invites.toTag()).build();
        return relay(state, timeout, () -> driver.send(tx.upstreamEnvelope(), timeout.bytes(), tx.upstream()), timedOut);
    }

    /** A response inside an answered dialog, relayed by a re-INVITE's transaction. */
    Effect<CallEvent, CallState> relay(CallState state, SipResponse response, Runnable send) {
        return relay(state, response, send, Optional.empty());
    }

    /**
     * Relays a response to an in-dialog request upstream (or our own 408 for one downstream never answered),
     * persisting what it changes: a final response to a BYE ends the call (RFC 3261 §15.1.2: a 408 too), a 2xx
     * to a refresh pushes the session timer out (RFC 4028), a 2xx to a REFER marks the transfer.
     */
    private Effect<CallEvent, CallState> relay(CallState state, SipResponse response, Runnable send,
                                               Optional<ClientTransaction> tx) {
        Method method = response.cseq().methodType();
        long now = settings.clock().millis();
        if (method.equals(Method.BYE) && response.status() >= 200 && !(state instanceof CallState.Ended)) {
            sessionTimer.stop();
            String cause = "BYE " + response.status();
            String by = tx.map(t -> side(state, t.received())).orElse("unknown");
            return effects.persist(new CallEvent.CallEnded(cause, now, by, node))
                    .thenRun(s -> {
                        send.run();
                        if (state instanceof CallState.Answered a) {
                            registrar.callFinished(a.dialog().from());
                        }
                        CallLog.ended(callId, cause, by, state, now);
                        ended.accept(s);
                    });
        }
        if (response.isSuccess() && state instanceof CallState.Answered a) {
            if (method.isOneOf(Method.INVITE, Method.UPDATE)) {
                int interval = SessionTimer.sessionExpires(response).orElse(a.dialog().sessionExpires());
                if (interval > 0) {
                    Dialog d = cseqs.update(a.dialog().withSessionExpires(interval));
                    return effects.persist(new CallEvent.SessionRefreshed(d, now, SessionTimer.expiresAt(now, interval)))
                            .thenRun(s -> {
                                sessionTimer.arm(s);
                                send.run();
                            });
                }
            }
            if (method.equals(Method.REFER) && tx.isPresent()) {
                String target = tx.get().forwarded().header(HeaderName.REFER_TO).orElse("");
                return effects.persist(new CallEvent.CallTransferred(target, now)).thenRun(s -> {
                    send.run();
                    CallLog.transferred(callId, target);
                });
            }
        }
        send.run();
        return effects.none();
    }

    /** Which party sent an in-dialog request of an answered call: its From tag is the caller's or not. */
    private static String side(CallState state, SipRequest request) {
        if (!(state instanceof CallState.Answered a)) {
            return "unknown";
        }
        Optional<String> callerTag = NameAddress.parse(a.dialog().from()).tag();
        return callerTag.isPresent() && callerTag.equals(request.from().tag()) ? "caller" : "callee";
    }

    /** The caller is whoever sent the answered dialog's From tag (or, before the answer, the initial INVITE's). */
    private void trackCseq(CallState state, SipRequest request) {
        cseqs.saw(request, () -> state instanceof CallState.Answered a
                ? NameAddress.parse(a.dialog().from()).tag()
                : invites.all().stream().filter(t -> !t.inDialog()).map(t -> t.request.from().tag())
                        .flatMap(Optional::stream).findFirst());
    }
}
