package org.switchboard.session;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.registrar.api.GruuTarget;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.session.CallTimers.ForgetTransaction;
import org.switchboard.session.CallTimers.RingTimeout;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.proxy.BranchId;
import org.switchboard.session.proxy.Final;
import org.switchboard.session.proxy.ForkTarget;
import org.switchboard.session.proxy.InviteKey;
import org.switchboard.session.proxy.InviteProxy;
import org.switchboard.session.proxy.ProxyAction;
import org.switchboard.session.proxy.ProxyInput;
import org.switchboard.session.proxy.ProxyRules;
import org.switchboard.session.proxy.Step;
import org.switchboard.sip.HeaderName;
import org.switchboard.sip.MessageEditor;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.Via;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;

import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EffectFactories;

/**
 * The executor of the proxy core ({@link InviteProxy}) for every INVITE of a Call: it turns what arrives into the
 * machine's inputs and carries out its actions with the transactions (§17), the registrar, the timers and the
 * journal. What a 2xx or a failure acknowledges is persisted before it leaves.
 */
final class Invites {
    /** How the entity relays a response inside an answered dialog (a session refresh is persisted first). */
    interface InDialogRelay {
        Effect<CallEvent, CallState> relay(CallState state, SipResponse response, Runnable send);
    }

    private final String callId;
    private final SessionSettings settings;
    private final ProxyRules rules;
    private final EffectFactories<CallEvent, CallState> effects;
    private final TimerScheduler<CallCommand> timers;
    private final CallerTransactions callers;
    private final ForkTransactions forks;
    private final TransactionDriver driver;
    private final RegistrarAsks registrar;
    private final InDialogRouter router;
    private final InDialogRelay inDialog;
    private final CallTimers.SessionTimerArm sessionTimer;
    private final TopologyHiding hiding;
    private final Map<InviteKey, ProxiedInvite> invites = new HashMap<>();
    /** INVITEs whose final response waits on a journal write: 503 to their callers if it fails. */
    private final UnwrittenAnswers unwritten = new UnwrittenAnswers();
    /** Our branch of a fork -> the INVITE it belongs to. */
    private final Map<BranchId, InviteKey> forkIndex = new HashMap<>();

    /** This node's cluster address, written into the call's outcome events. */
    private final String node;

    Invites(String callId, SessionSettings settings, EffectFactories<CallEvent, CallState> effects,
            TimerScheduler<CallCommand> timers, TransactionDriver driver, RegistrarAsks registrar, InDialogRelay inDialog,
            CallTimers.SessionTimerArm sessionTimer, String node, TopologyHiding hiding) {
        this.callId = callId;
        this.node = node;
        this.settings = settings;
        this.rules = settings.proxyRules(callId);
        this.effects = effects;
        this.timers = timers;
        this.driver = driver;
        this.callers = new CallerTransactions(driver);
        this.forks = new ForkTransactions(driver);
        this.registrar = registrar;
        this.router = new InDialogRouter(settings, callId);
        this.inDialog = inDialog;
        this.sessionTimer = sessionTimer;
        this.hiding = hiding;
    }

    Optional<ProxiedInvite> get(InviteKey key) {
        return Optional.ofNullable(invites.get(key));
    }

    Optional<ProxiedInvite> byFork(BranchId fork) {
        return Optional.ofNullable(forkIndex.get(fork)).map(invites::get);
    }

    Collection<ProxiedInvite> all() {
        return invites.values();
    }

    boolean isEmpty() {
        return invites.isEmpty();
    }

    /** A new INVITE: §16.3's checks, then its transaction starts (100 Trying) and the proxy core takes it. */
    Effect<CallEvent, CallState> initial(CallState state, Envelope env, SipRequest invite) {
        Optional<ProxiedInvite> existing = get(InviteKey.of(invite.topVia()));
        if (existing.isPresent()) {
            callers.retransmitted(existing.get());
            return effects.none();
        }
        if (ProxyMessages.isLoop(invite, settings.branches())) {
            return reply(env, invite, invite.response(482, "Loop Detected"));
        }
        if (settings.overload().refuses(invite.callId())) {
            // new work waits for nothing while the node is overloaded: the dialogs it serves come first
            return reply(env, invite, invite.response(503, "Service Unavailable - overloaded")
                    .header(HeaderName.RETRY_AFTER, Integer.toString(settings.overload().retryAfterSeconds())));
        }
        if (!MediaEncryptionPolicy.admits(settings.mediaEncryption(), env.transport(), invite)) {
            return reply(env, invite, invite.response(488, "Not Acceptable Here - encrypted media (SRTP) required over TLS"));
        }
        OptionalInt sessionExpires = SessionTimer.sessionExpires(invite);
        if (sessionExpires.isPresent() && sessionExpires.getAsInt() < settings.minSessionExpires()) {
            return reply(env, invite, invite.response(422, "Session Interval Too Small")
                    .header(HeaderName.MIN_SE, Integer.toString(settings.minSessionExpires())));
        }
        Step first = InviteProxy.start(ProxiedInvite.inviteOf(env, invite, settings, false), rules, settings.clock().instant());
        ProxiedInvite p = new ProxiedInvite(env, invite, first.next());
        p.arrivedAtMillis = settings.clock().millis();
        invites.put(p.key(), p);
        callers.start(p);
        return perform(state, p, first);
    }

    /**
     * A re-INVITE (hold, media change, session refresh) is proxied like the initial INVITE, by an INVITE server
     * transaction upstream and one client transaction along the route set: 100 Trying, Timer A/B downstream, a
     * non-2xx final acknowledged hop by hop and sent upstream until its ACK, retransmissions absorbed.
     */
    void reInvite(Envelope env, SipRequest reInvite, InDialogRouter.Forward f) {
        BranchId fork = new BranchId(f.branch());
        ProxiedInvite p = new ProxiedInvite(env, reInvite, InviteProxy.reInvite(
                ProxiedInvite.inviteOf(env, reInvite, settings, true), fork, reInvite.requestUriText()));
        invites.put(p.key(), p);
        callers.start(p);
        forkIndex.put(fork, p.key());
        forks.start(p, fork, f.downstream(), f.forwarded());
    }

    /** The caller sent a retransmission of an INVITE still proxied: its transaction answers it. */
    boolean absorbed(SipRequest invite) {
        Optional<ProxiedInvite> p = get(InviteKey.of(invite.topVia()));
        p.ifPresent(callers::retransmitted);
        return p.isPresent();
    }

    Effect<CallEvent, CallState> feed(CallState state, InviteKey key, ProxyInput input) {
        return get(key).map(p -> feed(state, p, input)).orElseGet(effects::none);
    }

    Effect<CallEvent, CallState> feed(CallState state, ProxiedInvite p, ProxyInput input) {
        return perform(state, p, p.proxy.on(input, rules, settings.clock().instant()));
    }

    /** The callee's devices as the proxy core takes them: groups of equal q, each reached as it registered. */
    static ProxyInput calleeFound(LookupResult result, Optional<String> diversion, int depth) {
        return new ProxyInput.CalleeFound(result.status(), Targets.byQ(result.bindings(), diversion),
                result.forwarding(), depth);
    }

    /**
     * For a GRUU (RFC 5627 §6.1): only the bindings of its instance, one after the other (several are flows of one
     * device, RFC 5626 §5.3, not devices to ring together); none is 480, a revoked temp-gruu 404. The AOR's
     * forwarding rules are not applied: they send calls for the AOR elsewhere, and a GRUU asks for this one device.
     */
    static ProxyInput calleeFound(LookupResult result, Optional<String> diversion, int depth, Optional<GruuTarget> gruu) {
        if (gruu.isEmpty()) {
            return calleeFound(result, diversion, depth);
        }
        List<ContactBinding> device = gruu.get().reaches(result.bindings());
        LookupResult.Status status = result.status() == LookupResult.Status.UNKNOWN || gruu.get().revokedBy(result.bindings())
                ? LookupResult.Status.UNKNOWN
                : device.isEmpty() ? LookupResult.Status.NOT_REGISTERED : LookupResult.Status.REGISTERED;
        return new ProxyInput.CalleeFound(status, Targets.oneByOne(device, diversion), ForwardingRules.NONE, depth);
    }

    /** A response of one fork: its client transaction (retransmissions, hop-by-hop ACK) first, then the proxy core. */
    Effect<CallEvent, CallState> forkResponse(CallState state, ProxiedInvite p, BranchId fork, SipResponse response) {
        boolean passed = forks.onResponse(p, fork, response);
        if (response.isSuccess()) {
            // every 2xx goes upstream, even one the transaction no longer passes (RFC 6026: forwarded statelessly)
            return feed(state, p, new ProxyInput.Answered(fork, response));
        }
        if (!passed) {
            return effects.none(); // a retransmitted final: acknowledged again by the transaction, already counted
        }
        return feed(state, p, response.status() < 200 ? new ProxyInput.Provisional(fork, response)
                : new ProxyInput.Failed(fork, response));
    }

    /** A timer of a fork's transaction; Timer B counts as a 408 from that fork (§16.7 step 2). */
    Effect<CallEvent, CallState> forkTimer(CallState state, BranchId fork, org.switchboard.sip.transaction.TimerName timer) {
        Optional<ProxiedInvite> p = byFork(fork);
        if (p.isEmpty() || !p.get().legs.containsKey(fork) || !forks.onTimer(p.get(), fork, timer)) {
            return effects.none();
        }
        SipResponse timeout = p.get().legs.get(fork).forwarded().response(408, "Request Timeout").build();
        return feed(state, p.get(), new ProxyInput.Failed(fork, timeout));
    }

    void serverTimer(InviteKey key, org.switchboard.sip.transaction.TimerName timer) {
        get(key).ifPresent(p -> callers.onTimer(p, timer));
    }

    /** The ACK of our non-2xx final is hop by hop: it ends here (§17.2.1). */
    boolean acknowledged(SipRequest ack) {
        Optional<ProxiedInvite> p = get(InviteKey.of(ack.topVia())).filter(i -> i.finalStatus() >= 300);
        p.ifPresent(callers::acknowledged);
        return p.isPresent();
    }

    /** §9.2: a CANCEL gets its own 200 at once (or 481 without its INVITE); the INVITE then ends with 487. */
    Effect<CallEvent, CallState> cancel(CallState state, Envelope env, SipRequest cancel) {
        Optional<ProxiedInvite> p = get(InviteKey.of(cancel.topVia()));
        if (p.isEmpty()) {
            return reply(env, cancel, cancel.response(481, "Call/Transaction Does Not Exist").toTag(toTag()));
        }
        send(env, cancel.response(200, "OK").toBytes(), Hops.upstream(env, cancel.topVia()));
        return feed(state, p.get(), new ProxyInput.Cancelled());
    }

    void forget(InviteKey key) {
        ProxiedInvite p = invites.remove(key);
        if (p != null) {
            p.legs.keySet().forEach(forkIndex::remove);
            callers.forget(p);
            forks.forget(p);
        }
    }

    /** INVITEs still ringing, as the next node takes them up. */
    java.util.List<ProxiedInvite> ringing() {
        return invites.values().stream().filter(p -> !p.inDialog() && !p.decided()).toList();
    }

    /**
     * Carries on with an INVITE the previous incarnation handed over: its transactions go on where they were (the
     * INVITE sent again only to a device that has not answered at all); the proxy core resumes next ({@link
     * ProxyInput.Resumed}): it asks again what was being asked and re-arms its ring timer for what was left.
     */
    void takeOver(ProxiedInvite p, java.util.List<HandedOverInvite.SentFork> sent) {
        invites.put(p.key(), p);
        callers.resume(p);
        sent.stream().filter(f -> forks.resume(p, f)).forEach(f -> forkIndex.put(f.id(), p.key()));
    }

    // ---------------------------------------------------------------- the actions

    private Effect<CallEvent, CallState> perform(CallState state, ProxiedInvite p, Step step) {
        boolean wasDecided = p.decided();
        p.proxy = step.next();
        Effect<CallEvent, CallState> effect = effects.none();
        for (ProxyAction action : step.actions()) {
            if (action instanceof ProxyAction.CheckCaller) {
                registrar.checkCaller(p, 1);
            } else if (action instanceof ProxyAction.LookUp l) {
                registrar.lookup(p.key(), l.aor(), l.diversion(), l.depth(), l.gruu());
            } else if (action instanceof ProxyAction.StartFork f) {
                startFork(p, f.id(), f.target());
            } else if (action instanceof ProxyAction.SendCancel c) {
                Optional.ofNullable(p.legs.get(c.fork())).ifPresent(leg ->
                        send(p.envelope, ProxyMessages.cancelFor(leg.forwarded()), leg.destination()));
            } else if (action instanceof ProxyAction.ArmRingTimer r) {
                timers.startSingleTimer(new CallTimers.RingKey(p.key()), new RingTimeout(p.key()), r.after());
            } else if (action instanceof ProxyAction.StopRingTimer) {
                timers.cancel(new CallTimers.RingKey(p.key()));
            } else if (action instanceof ProxyAction.RelayProvisional r) {
                hiding.up(r.response()).ifPresent(up -> callers.respond(p, up.bytes(), r.response().status()));
            } else if (action instanceof ProxyAction.RelayAnswer a) {
                effect = answer(state, p, a.fork(), a.response());
            } else if (action instanceof ProxyAction.RelayFinal f) {
                effect = fail(state, p, parse(f.response()));
            } else if (action instanceof ProxyAction.Reject r) {
                var builder = p.request.response(r.status(), r.reason()).toTag(toTag());
                r.headers().forEach(h -> builder.header(h[0], h[1]));
                effect = fail(state, p, builder.build());
            } else if (action instanceof ProxyAction.Challenge c) {
                var builder = p.request.response(407, "Proxy Authentication Required").toTag(toTag());
                c.challenges().forEach(v -> builder.header(HeaderName.PROXY_AUTHENTICATE, v));
                callers.respond(p, builder.toBytes(), 407);
            }
        }
        if (!wasDecided && p.decided()) {
            forgetLater(p);
        }
        return effect;
    }

    private void startFork(ProxiedInvite p, BranchId id, ForkTarget target) {
        Destination downstream = ForkCopies.downstream(target);
        SipRequest request = p.request;
        MessageEditor edit = ForkCopies.copy(request, p.envelope, target, id, downstream, router, settings);
        // a fork to a configured route goes beyond a trunk: hidden, its dialog flagged in our Record-Route; a call
        // from a trunk gets the Contacts of its responses masked, its dialog flagged the other way
        boolean hide = hiding.enabled() && target.outbound().isPresent();
        boolean fromTrunk = !hide && hiding.fromTrunk(p.envelope.remote().host());
        settings.recordRoutes(p.envelope.local(), p.envelope.transport(), downstream.transport(), callId,
                request.from().tag().orElse("")).forEach(rr -> edit.prepend(HeaderName.RECORD_ROUTE,
                hide ? TopologyHiding.flagged(rr) : fromTrunk ? TopologyHiding.flaggedCallerSide(rr) : rr));
        target.diversion().ifPresent(d -> edit.append(HeaderName.DIVERSION, d));
        ForkCopies.prependPath(edit, target);
        forkIndex.put(id, p.key());
        SipRequest forwarded = (SipRequest) edit.build();
        if (hide) {
            forwarded = hiding.hide(forwarded);
        } else if (fromTrunk) {
            Via towardTrunk = Via.parse(settings.via(p.envelope.transport().name(), id.value(), p.envelope.local()));
            forwarded = hiding.maskResponses(forwarded, TopologyHiding.outer(towardTrunk));
        }
        forks.start(p, id, downstream, forwarded);
    }

    /** The first 2xx of a call persists the answered dialog before it goes upstream; later ones follow it. */
    private Effect<CallEvent, CallState> answer(CallState state, ProxiedInvite p, BranchId fork, SipResponse ok) {
        Optional<TopologyHiding.Relayed> up = hiding.up(ok);
        if (up.isEmpty()) {
            return effects.none();
        }
        byte[] relayed = up.get().bytes();
        Runnable send = () -> callers.respond(p, relayed, ok.status());
        if (unwritten.refused(p)) {
            return effects.none(); // the caller got our 503 when the journal failed: no 200 may follow it
        }
        if (p.inDialog()) {
            // a refresh's 2xx waits for SessionRefreshed: a failed write answers this re-INVITE 503 too
            unwritten.awaiting(p);
            return inDialog.relay(state, ok, () -> {
                unwritten.written(p);
                send.run();
            });
        }
        return relayAnswer(state, ok, send, AnsweredDialogs.of(callId, ok, p, fork), Optional.of(p));
    }

    /** A 2xx to an INVITE whose transaction is gone (a failover, or forgotten) goes up by its Via, statelessly. */
    Effect<CallEvent, CallState> answerWithoutTransaction(CallState state, Envelope env, SipResponse ok) {
        Optional<TopologyHiding.Relayed> up = hiding.up(ok);
        if (up.isEmpty() || up.get().upstream().isEmpty()) {
            return effects.none(); // no Via of the caller's left to say where it goes
        }
        Destination upstream = Hops.upstream(up.get().upstream().get());
        byte[] relayed = up.get().bytes();
        return relayAnswer(state, ok, () -> send(env, relayed, upstream), AnsweredDialogs.of(callId, ok, env),
                Optional.empty());
    }

    private Effect<CallEvent, CallState> relayAnswer(CallState state, SipResponse ok, Runnable send, Dialog dialog,
                                                     Optional<ProxiedInvite> p) {
        if (state instanceof CallState.Answered || state instanceof CallState.Ended) {
            send.run();
            return effects.none();
        }
        long now = settings.clock().millis();
        long persistStarted = System.nanoTime();
        p.ifPresent(unwritten::awaiting);
        long invitedAt = p.map(i -> i.arrivedAtMillis).orElse(0L);
        return effects.persist(new CallEvent.CallAnswered(dialog, now, SessionTimer.expiresAt(now, dialog.sessionExpires()),
                        invitedAt, node))
                .thenRun(s -> {
                    p.ifPresent(unwritten::written);
                    settings.overload().journalLatency(System.nanoTime() - persistStarted);
                    sessionTimer.arm(s);
                    send.run();
                    CallLog.answered(dialog);
                });
    }

    /** Relays a final non-2xx upstream (a fork's, our Via popped, or one of our own) and records the failure. */
    private Effect<CallEvent, CallState> fail(CallState state, ProxiedInvite p, SipResponse response) {
        int status = response.status();
        // a fork's response carries our Via on top (over the caller's, or over nothing when it was hidden)
        boolean fork = response.vias().size() > p.request.vias().size()
                || !response.topVia().branch().equals(p.request.topVia().branch());
        // a hidden fork's response whose sealed Via was altered cannot be restored: the caller gets the status anyway
        byte[] relayed = !fork ? response.bytes() : hiding.up(response).map(TopologyHiding.Relayed::bytes)
                .orElseGet(() -> p.request.response(status, response.reason()).toTag(toTag()).toBytes());
        if (state instanceof CallState.Answered || p.inDialog()) {
            callers.respond(p, relayed, status); // a failed re-INVITE or re-attempt inside a live call changes nothing
            return effects.none();
        }
        String from = p.request.header(HeaderName.FROM).orElse("");
        CallEvent failed = new CallEvent.CallFailed(status, response.reason(), from,
                p.request.header(HeaderName.TO).orElse(""), settings.clock().millis(), p.request.requestUriText(),
                p.arrivedAtMillis, node);
        unwritten.awaiting(p);
        // the server transaction sends it, and again over UDP until the caller's ACK (Timer G)
        return effects.persist(failed).thenRun(s -> {
            unwritten.written(p);
            callers.respond(p, relayed, status);
            registrar.callFinished(from);
            CallLog.failed(callId, status, response.reason(), from, p.request.header(HeaderName.TO).orElse(""));
        });
    }

    /**
     * A journal write failed (the entity restarts, or stops): every INVITE whose answer waited for it gets 503 with
     * Retry-After instead.
     */
    void refuseUnwritten() {
        unwritten.refuse(invites, callers, callId, this::toTag, settings.overload().retryAfterSeconds());
    }

    /** After a restart (which cancelled every timer) the INVITEs refused then are forgotten in time. */
    void forgetRefused() {
        unwritten.refusedStillIn(invites).forEach(key -> forgetLater(invites.get(key)));
    }

    /** Keeps a transaction whose final response went up for the retransmission window, then lets it go. */
    private void forgetLater(ProxiedInvite p) {
        // 64*T1: Timer H/J's span, the longest a retransmission of the INVITE or its final response can come
        timers.startSingleTimer(new CallTimers.ForgetKey(p.key()), new ForgetTransaction(p.key()), settings.t1().multipliedBy(64));
    }

    private Effect<CallEvent, CallState> reply(Envelope env, SipRequest request, org.switchboard.sip.ResponseBuilder response) {
        send(env, response.toTag(toTag()).toBytes(), Hops.upstream(env, request.topVia()));
        return effects.none();
    }

    String toTag() {
        return settings.branches().derive(callId, "to-tag").substring(9, 21);
    }

    static SipResponse parse(Final f) {
        return (SipResponse) ((ParseResult.Parsed) SipParser.parse(f.bytes())).message();
    }

    void send(Envelope via, byte[] bytes, Destination destination) {
        driver.send(via, bytes, destination);
    }
}
