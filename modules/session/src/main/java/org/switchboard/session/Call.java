package org.switchboard.session;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.api.CallEntity;
import org.switchboard.session.api.CheckDeadline;
import org.switchboard.session.api.HandleSip;
import org.switchboard.session.CallTimers.ForgetTransaction;
import org.switchboard.session.CallTimers.HandOff;
import org.switchboard.session.CallTimers.Reroute;
import org.switchboard.session.CallTimers.RingTimeout;
import org.switchboard.session.CallTimers.SessionExpiry;
import org.switchboard.session.CallTimers.TransactionTimer;
import org.switchboard.session.RegistrarAsks.AskAgain;
import org.switchboard.session.RegistrarAsks.CalleeFound;
import org.switchboard.session.RegistrarAsks.CallerChecked;
import org.switchboard.session.RegistrarAsks.LookupFailed;
import org.switchboard.sip.HeaderNames;
import org.switchboard.sip.MessageEditor;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.SipUri;
import org.switchboard.sip.Via;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Redeliver;
import org.switchboard.transport.api.Send;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.SignalHandler;

/**
 * Every transaction and dialog of one Call-ID: a record-routing, transaction-stateful, forking proxy
 * (RFC 3261 §16) with call forwarding, caller authentication and session timers (RFC 4028).
 *
 * <p>An answered call without a session timer is passivated once its INVITE transaction is over (see
 * {@link #sleepIfQuiet}). Persisted: the call answered (its dialog), refreshed, transferred, failed and ended. In memory only: the
 * INVITE transactions (the initial INVITE's forks, and each re-INVITE's single fork along the route set); after a failover they are gone, and responses are then routed by their
 * Via alone, in-dialog requests by their Route alone, so an answered call is still ended cleanly, and the
 * session timer is re-armed from the persisted expiry.
 */
public final class Call extends EventSourcedBehavior<CallCommand, CallEvent, CallState> {
    private static final Logger log = LoggerFactory.getLogger(Call.class);

    private final ActorContext<CallCommand> context;
    private final TimerScheduler<CallCommand> timers;
    private final String callId;
    private final SessionSettings settings;
    private final InDialogRouter router;
    private final Map<String, InviteTransaction> invites = new HashMap<>();
    /** Our branch of a forked INVITE -> the key of its INVITE transaction. */
    private final Map<String, String> forkIndex = new HashMap<>();
    /** Forwarded in-dialog non-INVITE requests and their client transactions. */
    private final ForwardedRequests forwarded;
    private final CallerTransactions callers;
    private final RegistrarAsks registrar;
    private final ForkTransactions forks;
    private final DialogCseqs cseqs = new DialogCseqs();
    /** INVITEs whose final response waits on a journal write: 503 to their callers if it fails. */
    private final UnwrittenAnswers unwritten = new UnwrittenAnswers();
    /** The shard this entity lives in, to ask it to passivate us; none outside sharding (tests). */
    private final Optional<ActorRef<ClusterSharding.ShardCommand>> shard;

    private Call(ActorContext<CallCommand> context, TimerScheduler<CallCommand> timers, String callId,
                 SessionSettings settings, Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
        // a failed persist restarts the entity: the INVITE whose answer it was gets 503 (UnwrittenAnswers); other
        // unanswered peers retransmit and the next try persists
        super(PersistenceId.of(CallEntity.KEY.name(), callId),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.context = context;
        this.timers = timers;
        this.callId = callId;
        this.settings = settings;
        this.shard = shard;
        this.router = new InDialogRouter(settings, callId);
        TransactionDriver driver = new TransactionDriver(timers, settings);
        this.forwarded = new ForwardedRequests(driver);
        this.registrar = new RegistrarAsks(context, timers, settings, callId);
        this.callers = new CallerTransactions(driver);
        this.forks = new ForkTransactions(driver);
    }

    public static void init(ActorSystem<?> system, SessionSettings settings, String coreRole) {
        ClusterSharding.get(system).init(Entity.of(CallEntity.KEY,
                        ctx -> create(ctx.getEntityId(), settings, Optional.of(ctx.getShard())))
                .withStopMessage(new HandOff())
                .withRole(coreRole));
    }

    public static Behavior<CallCommand> create(String callId, SessionSettings settings) {
        return create(callId, settings, Optional.empty());
    }

    static Behavior<CallCommand> create(String callId, SessionSettings settings,
                                        Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Call(ctx, timers, callId, settings, shard)));
    }

    @Override
    public CallState emptyState() {
        return new CallState.Setup();
    }

    @Override
    public CommandHandler<CallCommand, CallEvent, CallState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(HandleSip.class, this::onSip)
                .onCommand(CallerChecked.class, this::onCallerChecked)
                .onCommand(CalleeFound.class, this::onCalleeFound)
                .onCommand(LookupFailed.class, this::onLookupFailed)
                .onCommand(AskAgain.class, (state, cmd) -> {
                    InviteTransaction tx = invites.get(cmd.failed().key());
                    if (tx != null && !tx.finalSent() && !tx.cancelled) {
                        registrar.askAgain(cmd, tx);
                    }
                    return Effect().none();
                })
                .onCommand(HandOff.class, this::onHandOff)
                .onCommand(Reroute.class, (state, cmd) -> {
                    InviteTransaction tx = invites.get(cmd.key());
                    if (tx == null || tx.finalSent() || tx.cancelled) {
                        return Effect().none();
                    }
                    return tx.routed ? route(tx, tx.authenticated) : admit(tx);
                })
                .onCommand(TransactionTimer.class, this::onTransactionTimer)
                .onCommand(RingTimeout.class, this::onRingTimeout)
                .onCommand(SessionExpiry.class, this::onSessionExpiry)
                .onCommand(CheckDeadline.class, this::onCheckDeadline)
                .onCommand(ForgetTransaction.class, (state, cmd) -> {
                    InviteTransaction tx = invites.remove(cmd.key());
                    if (tx != null) {
                        tx.branches.keySet().forEach(forkIndex::remove);
                        callers.forget(tx);
                        forks.forget(tx);
                    }
                    sleepIfQuiet(state);
                    return Effect().none();
                })
                .build();
    }

    @Override
    public EventHandler<CallState, CallEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(CallState::apply);
    }

    /** Only the events that open, move or close a call's deadline are tagged: the call sweeper follows them. */
    @Override
    public Set<String> tagsFor(CallEvent event) {
        return CallDeadline.tagsFor(event);
    }

    @Override
    public SignalHandler<CallState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::onRecovered)
                // a journal write failed: the entity restarts (or stops); callers whose answer was lost get 503
                .onSignal(PreRestart.instance(), state -> unwritten.refuse(invites, callers, callId, this::toTag,
                        settings.overload().retryAfterSeconds()))
                .onSignal(PostStop.instance(), state -> unwritten.refuse(invites, callers, callId, this::toTag,
                        settings.overload().retryAfterSeconds()))
                .build();
    }

    private Effect<CallEvent, CallState> onSip(CallState state, HandleSip cmd) {
        Envelope env = cmd.envelope();
        ParseResult parsed = SipParser.parse(env.bytes());
        if (!(parsed instanceof ParseResult.Parsed p)) {
            log.warn("message for call {} that does not parse reached the entity; dropped", callId);
            return Effect().none();
        }
        try {
            if (p.message() instanceof SipResponse response) {
                return onResponse(state, env, response);
            }
            SipRequest request = (SipRequest) p.message();
            return switch (request.method()) {
                case "ACK" -> onAck(state, env, request);
                case "CANCEL" -> onCancel(state, env, request);
                default -> request.to().tag().isPresent() ? inDialog(state, env, request)
                        : request.method().equals("INVITE") ? onInitialInvite(env, request)
                        : reply(env, request, 501, "Not Implemented - out-of-dialog " + request.method());
            };
        } catch (SipParseException e) {
            log.debug("call {}: bad header: {}", callId, e.error().reason());
            if (p.message() instanceof SipRequest request && !request.method().equals("ACK")) {
                return reply(env, request, 400, "Bad Request - " + e.error().reason());
            }
            return Effect().none();
        }
    }

    // ---------------------------------------------------------------- initial INVITE

    private Effect<CallEvent, CallState> onInitialInvite(Envelope env, SipRequest invite) {
        Via top = invite.topVia();
        String key = InviteTransaction.keyOf(top);
        InviteTransaction existing = invites.get(key);
        if (existing != null) {
            callers.retransmitted(existing);
            return Effect().none();
        }
        if (ProxyMessages.isLoop(invite, settings.branches())) {
            return reply(env, invite, 482, "Loop Detected");
        }
        if (settings.overload().shedding()) {
            // new work waits for nothing while the node is overloaded: the dialogs it serves come first
            byte[] shed = invite.response(503, "Service Unavailable - overloaded").toTag(toTag())
                    .header("Retry-After", Integer.toString(settings.overload().retryAfterSeconds())).toBytes();
            send(env, shed, Hops.upstream(env, top));
            return Effect().none();
        }
        if (!MediaEncryptionPolicy.admits(settings.mediaEncryption(), env.transport(), invite)) {
            return reply(env, invite, 488, "Not Acceptable Here - encrypted media (SRTP) required over TLS");
        }
        OptionalInt sessionExpires = SessionTimer.sessionExpires(invite);
        if (sessionExpires.isPresent() && sessionExpires.getAsInt() < settings.minSessionExpires()) {
            byte[] tooSmall = invite.response(422, "Session Interval Too Small").toTag(toTag())
                    .header("Min-SE", Integer.toString(settings.minSessionExpires())).toBytes();
            send(env, tooSmall, Hops.upstream(env, top));
            return Effect().none();
        }
        InviteTransaction tx = InviteTransaction.of(env, invite, false);
        invites.put(key, tx);
        callers.start(tx);
        return admit(tx);
    }

    /** Callers of our domains prove who they are (407) unless they come from a trusted peer; then the call is routed. */
    private Effect<CallEvent, CallState> admit(InviteTransaction tx) {
        NameAddress from = tx.request.from();
        boolean ourCaller = from.uri().isSip() && settings.domains().contains(from.uri().host().toLowerCase(java.util.Locale.ROOT));
        if (settings.authenticateCallers() && ourCaller && !settings.trusted(tx.envelope.remote().host())) {
            registrar.checkCaller(tx, 1);
            return Effect().none();
        }
        return route(tx, ourCaller || !settings.authenticateCallers());
    }

    private Effect<CallEvent, CallState> onLookupFailed(CallState state, LookupFailed cmd) {
        InviteTransaction tx = invites.get(cmd.key());
        if (tx == null || tx.finalSent() || tx.cancelled || registrar.retry(cmd)) {
            return Effect().none();
        }
        return answer(state, cmd.key(), 503, "Service Unavailable", "Retry-After", "5");
    }

    private Effect<CallEvent, CallState> onCallerChecked(CallState state, CallerChecked cmd) {
        InviteTransaction tx = invites.get(cmd.key());
        if (tx == null || tx.finalSent()) {
            return Effect().none();
        }
        return switch (cmd.verdict().outcome()) {
            case AUTHORISED -> route(tx, true);
            case CHALLENGE -> {
                var builder = tx.request.response(407, "Proxy Authentication Required").toTag(toTag());
                cmd.verdict().challenges().forEach(c -> builder.header("Proxy-Authenticate", c));
                // its ACK ends here; the caller retries with a new INVITE transaction
                callers.respond(tx, builder.toBytes(), 407);
                forgetLater(tx);
                yield Effect().none();
            }
            case FORBIDDEN -> answer(state, cmd.key(), 403, "Forbidden - caller not authorised");
            case LIMITED -> answer(state, cmd.key(), 403, "Forbidden - " + cmd.verdict().reason());
        };
    }

    /**
     * Where the INVITE goes: users of our domains are looked up in the registrar; other domains take the static
     * route for their domain; anything else is refused (we are not an open relay).
     */
    private Effect<CallEvent, CallState> route(InviteTransaction tx, boolean authenticated) {
        tx.routed = true;
        tx.authenticated = authenticated;
        SipUri ruri = tx.request.requestUri();
        if (ruri.isSip() && ruri.user().isPresent() && settings.serves(ruri.host())) {
            registrar.lookup(tx.key, ruri.addressOfRecord(), Optional.empty(), 0);
            return Effect().none();
        }
        Optional<String> route = settings.routeFor(ruri.host());
        if (route.isPresent() && authenticated) {
            Destination hop = Hops.downstream(SipUri.parse(route.get()));
            startBranches(tx, List.of(new InviteTransaction.Target(tx.request.requestUriText(), Optional.of(hop),
                    Optional.empty())));
            return Effect().none();
        }
        return answer(new CallState.Setup(), tx.key, 403, "Forbidden - no route to " + ruri.host());
    }

    private Effect<CallEvent, CallState> onCalleeFound(CallState state, CalleeFound cmd) {
        InviteTransaction tx = invites.get(cmd.key());
        if (tx == null || tx.finalSent() || tx.cancelled) {
            return Effect().none();
        }
        LookupResult result = cmd.result();
        tx.lookupPending = false;
        if (cmd.depth() == 0) {
            tx.forwarding = result.forwarding();
        }
        if (result.status() == LookupResult.Status.UNKNOWN) {
            return answer(state, tx.key, 404, "Not Found");
        }
        if (cmd.depth() == 0 && tx.forwarding.unconditional().isPresent()) {
            return divert(state, tx, tx.forwarding.unconditional().get(), "unconditional");
        }
        if (result.status() != LookupResult.Status.REGISTERED) {
            if (cmd.depth() == 0 && tx.forwarding.onUnavailable().isPresent()) {
                return divert(state, tx, tx.forwarding.onUnavailable().get(), "unavailable");
            }
            return answer(state, tx.key, 480, "Temporarily Unavailable");
        }
        List<List<InviteTransaction.Target>> groups = InviteTransaction.Target.byQ(result.bindings(), cmd.diversion());
        groups.subList(1, groups.size()).forEach(tx.laterGroups::add);
        ringFor(tx, cmd.depth() == 0 && tx.forwarding.onNoAnswer().isPresent()
                ? Duration.ofSeconds(tx.forwarding.noAnswerSeconds()) : settings.inviteTimeout());
        startBranches(tx, groups.get(0));
        return Effect().none();
    }

    /** Call forwarding: the call goes to {@code target} instead, with a Diversion header saying why. */
    private Effect<CallEvent, CallState> divert(CallState state, InviteTransaction tx, String target, String reason) {
        if (tx.diverted) {
            return Effect().none();
        }
        tx.diverted = true;
        tx.laterGroups.clear();
        String diversion = "<" + tx.request.requestUriText() + ">;reason=" + reason + ";counter=1";
        SipUri uri = SipUri.parse(target);
        if (uri.isSip() && uri.user().isPresent() && settings.serves(uri.host())) {
            tx.lookupPending = true;
            registrar.lookup(tx.key, uri.addressOfRecord(), Optional.of(diversion), 1);
        } else {
            Optional<Destination> hop = settings.routeFor(uri.host()).map(r -> Hops.downstream(SipUri.parse(r)));
            startBranches(tx, List.of(new InviteTransaction.Target(target, hop, Optional.of(diversion))));
        }
        return Effect().none();
    }

    private void startBranches(InviteTransaction tx, List<InviteTransaction.Target> targets) {
        for (InviteTransaction.Target target : targets) {
            SipUri uri = SipUri.parse(target.uri());
            Destination downstream = target.via().orElseGet(() -> Hops.downstream(uri));
            String branchId = settings.branches().derive(callId, tx.key + "|" + target.uri() + "|" + tx.branches.size());
            MessageEditor edit = tx.request.edit();
            router.popOwnRoute(tx.request, edit, tx.envelope.local());
            ProxyCredentials.consume(tx.request, edit, settings);
            ProxyMessages.decrementMaxForwards(tx.request, edit)
                    .requestUri(target.uri())
                    .prepend("Via", settings.via(downstream.transport().name(), branchId, tx.envelope.local()) + ";"
                            + ProxyMessages.LOOP_PARAM + "=" + ProxyMessages.loopHash(tx.request));
            settings.recordRoutes(tx.envelope.local(), tx.envelope.transport(), downstream.transport(), callId,
                    tx.request.from().tag().orElse("")).forEach(rr -> edit.prepend("Record-Route", rr));
            target.diversion().ifPresent(d -> edit.append("Diversion", d));
            for (int i = target.routes().size() - 1; i >= 0; i--) {
                edit.prepend("Route", target.routes().get(i)); // a Path, in order, above any Route left
            }
            forkIndex.put(branchId, tx.key);
            SipRequest forwarded = (SipRequest) edit.build();
            forks.start(tx, branchId, target.uri(), downstream, forwarded);
        }
    }

    // ---------------------------------------------------------------- timers of the INVITE

    /** A timer one of the transaction machines asked for; a timeout counts as a 408 from downstream (§16.7). */
    private Effect<CallEvent, CallState> onTransactionTimer(CallState state, TransactionTimer cmd) {
        switch (cmd.kind()) {
            case SERVER -> Optional.ofNullable(invites.get(cmd.key())).ifPresent(tx -> callers.onTimer(tx, cmd.timer()));
            case FORK -> {
                InviteTransaction tx = Optional.ofNullable(forkIndex.get(cmd.key())).map(invites::get).orElse(null);
                if (tx != null && forks.onTimer(tx, cmd.key(), cmd.timer())) {
                    // Timer B: the device never answered; it counts as a 408 for the best-response choice
                    Branch branch = tx.branches.get(cmd.key());
                    return branchFinal(state, tx, branch, branch.forwarded().response(408, "Request Timeout").build());
                }
            }
            case FORWARDED -> {
                Optional<ClientTransaction> timedOut = forwarded.onTimer(cmd.key(), cmd.timer());
                if (timedOut.isPresent()) {
                    ClientTransaction tx = timedOut.get();
                    SipResponse timeout = tx.received().response(408, "Request Timeout").toTag(toTag()).build();
                    return relayInDialog(state, timeout, () -> send(tx.upstreamEnvelope(), timeout.bytes(), tx.upstream()),
                            timedOut);
                }
            }
        }
        return Effect().none();
    }

    private Effect<CallEvent, CallState> onRingTimeout(CallState state, RingTimeout cmd) {
        InviteTransaction tx = invites.get(cmd.key());
        if (tx == null || tx.finalSent()) {
            return Effect().none();
        }
        cancelPending(tx);
        if (tx.forwarding.onNoAnswer().isPresent() && !tx.diverted) {
            return divert(state, tx, tx.forwarding.onNoAnswer().get(), "no-answer");
        }
        tx.cancelled = true;
        return Effect().none();
    }

    // ---------------------------------------------------------------- responses

    private Effect<CallEvent, CallState> onResponse(CallState state, Envelope env, SipResponse response) {
        List<Via> vias = response.vias();
        String method = response.cseq().method();
        String branchId = vias.get(0).branch().orElse("");
        if (method.equals("CANCEL")) {
            return Effect().none(); // the 200 to our own CANCEL ends here (§16.10)
        }
        if (method.equals("INVITE")) {
            InviteTransaction tx = Optional.ofNullable(forkIndex.get(branchId)).map(invites::get).orElse(null);
            if (tx != null) {
                return onBranchResponse(state, tx, branchId, response);
            }
        }
        if (vias.size() < 2) {
            return Effect().none(); // a response to a request the proxy sent on its own (its BYEs): it ends here
        }
        String key = branchId + "|" + method;
        if (method.equals("INVITE") && response.isSuccess()) {
            return relayAnswer(state, env, response, Hops.upstream(vias.get(1)), Optional.empty());
        }
        // an INVITE response without its transaction (a failover, or forgotten) goes up by its Via, statelessly
        Optional<ClientTransaction> tx = method.equals("INVITE") ? Optional.empty() : forwarded.find(key);
        if (!method.equals("INVITE") && tx.isPresent() && !forwarded.onResponse(key, response.status())) {
            return Effect().none(); // a retransmitted final: upstream has it, and gets it again if it asks again
        }
        // without a transaction (a failover, or its Timer K ran out) the Via alone says where the response goes
        Destination upstream = tx.map(ClientTransaction::upstream).orElseGet(() -> Hops.upstream(vias.get(1)));
        Envelope via = tx.map(ClientTransaction::upstreamEnvelope).orElse(env);
        byte[] relayed = ProxyMessages.popVia(response);
        forwarded.relayed(key, relayed);
        return relayInDialog(state, response, () -> send(via, relayed, upstream), tx);
    }

    /**
     * Relays a response to an in-dialog request upstream (or our own 408 for one downstream never answered),
     * persisting what it changes: a final response to a BYE ends the call (RFC 3261 §15.1.2: a 408 too), a 2xx
     * to a refresh pushes the session timer out, a 2xx to a REFER marks the transfer.
     */
    private Effect<CallEvent, CallState> relayInDialog(CallState state, SipResponse response, Runnable relay,
                                                       Optional<ClientTransaction> tx) {
        String method = response.cseq().method();
        long now = settings.clock().millis();
        if (method.equals("BYE") && response.status() >= 200 && !(state instanceof CallState.Ended)) {
            timers.cancel("session");
            return Effect().persist(new CallEvent.CallEnded("BYE " + response.status(), now))
                    .thenRun(s -> {
                        relay.run();
                        if (state instanceof CallState.Answered a) {
                            registrar.callFinished(a.dialog().from());
                        }
                    });
        }
        if (response.isSuccess() && state instanceof CallState.Answered a) {
            if (method.equals("INVITE") || method.equals("UPDATE")) {
                int interval = SessionTimer.sessionExpires(response).orElse(a.dialog().sessionExpires());
                if (interval > 0) {
                    Dialog d = cseqs.update(a.dialog().withSessionExpires(interval));
                    long expiresAt = SessionTimer.expiresAt(now, interval);
                    return Effect().persist(new CallEvent.SessionRefreshed(d, now, expiresAt))
                            .thenRun(s -> {
                                armSessionTimer(s);
                                relay.run();
                            });
                }
            }
            if (method.equals("REFER") && tx.isPresent()) {
                String target = tx.get().forwarded().header("refer-to").orElse("");
                return Effect().persist(new CallEvent.CallTransferred(target, now)).thenRun(s -> relay.run());
            }
        }
        relay.run();
        return Effect().none();
    }

    /** A response of one fork: its client transaction (retransmissions, hop-by-hop ACK) first, then the proxy core. */
    private Effect<CallEvent, CallState> onBranchResponse(CallState state, InviteTransaction tx, String branchId,
                                                          SipResponse response) {
        boolean passed = forks.onResponse(tx, branchId, response);
        Branch branch = tx.branches.get(branchId);
        int status = response.status();
        if (response.isSuccess()) {
            // every 2xx goes upstream, even one the transaction no longer passes (RFC 6026: forwarded statelessly)
            tx.branches.put(branch.id(), branch.withFinal(status));
            if (!tx.finalSent()) {
                timers.cancel("ring|" + tx.key);
                tx.decided(status);
                cancelPending(tx);
                forgetLater(tx);
            }
            if (tx.inDialog) {
                byte[] relayed = ProxyMessages.popVia(response);
                return relayInDialog(state, response, () -> callers.respond(tx, relayed, status), Optional.empty());
            }
            return relayAnswer(state, tx.envelope, response, tx.upstream, Optional.of(tx));
        }
        if (!passed) {
            return Effect().none(); // a retransmitted final: acknowledged again by the transaction, already counted
        }
        if (status < 200) {
            if (branch.pending() && !branch.provisional()) {
                tx.branches.put(branch.id(), branch.withProvisional());
                if (branch.cancelled() || tx.cancelled) {
                    send(tx.envelope, ProxyMessages.cancelFor(branch.forwarded()), branch.destination());
                }
            }
            if (status == 100 || tx.finalSent()) {
                return Effect().none();
            }
            callers.respond(tx, ProxyMessages.popVia(response), status);
            return Effect().none();
        }
        if (!branch.pending()) {
            return Effect().none(); // already counted (the fork timed out, then answered after all)
        }
        return branchFinal(state, tx, branch, response);
    }

    /** A fork ended without answering: follow a redirect, stop on 6xx, or when all forks ended, decide. */
    private Effect<CallEvent, CallState> branchFinal(CallState state, InviteTransaction tx, Branch branch,
                                                     SipResponse response) {
        tx.branches.put(branch.id(), branch.withFinal(response.status()));
        tx.finals.add(response);
        if (tx.finalSent()) {
            return Effect().none();
        }
        if (response.status() / 100 == 3 && settings.followRedirects() && tx.redirects < settings.maxRedirects()
                && !tx.cancelled && !tx.inDialog) {
            tx.redirects++;
            List<InviteTransaction.Target> targets = response.contacts().stream()
                    .map(c -> new InviteTransaction.Target(c.uri().toString(), Optional.empty(), Optional.empty()))
                    .toList();
            if (!targets.isEmpty()) {
                startBranches(tx, targets);
                return Effect().none();
            }
        }
        if (response.status() >= 600) {
            cancelPending(tx);
            return relayFinal(state, tx, response);
        }
        if (tx.anyPending() || tx.lookupPending) {
            return Effect().none();
        }
        if (!tx.cancelled && !tx.laterGroups.isEmpty()) {
            startBranches(tx, tx.laterGroups.poll());
            return Effect().none();
        }
        // a cancelled INVITE ends with a 487 of our own to the caller (§16.10): the forks' 487s answer our CANCELs
        SipResponse best = tx.cancelled ? tx.request.response(487, "Request Terminated").toTag(toTag()).build()
                : BestResponse.choose(tx.finals).orElseThrow();
        int status = best.status();
        if (!tx.cancelled && !tx.diverted && (status == 486 || status == 600) && tx.forwarding.onBusy().isPresent()) {
            return divert(state, tx, tx.forwarding.onBusy().get(), "user-busy");
        }
        if (!tx.cancelled && !tx.diverted && (status == 480 || status == 408) && tx.forwarding.onUnavailable().isPresent()) {
            return divert(state, tx, tx.forwarding.onUnavailable().get(), "unavailable");
        }
        return relayFinal(state, tx, best);
    }

    /** Relays a final non-2xx upstream (a branch's, our Via popped, or one of our own) and records the failure. */
    private Effect<CallEvent, CallState> relayFinal(CallState state, InviteTransaction tx, SipResponse response) {
        timers.cancel("ring|" + tx.key);
        int status = BestResponse.relayedStatus(response);
        byte[] relayed = status != response.status()
                ? tx.request.response(status, BestResponse.reasonOf(status)).toTag(toTag()).toBytes()
                : response.vias().size() > tx.request.vias().size() ? ProxyMessages.popVia(response) : response.bytes();
        tx.decided(status);
        forgetLater(tx);
        if (state instanceof CallState.Answered || tx.inDialog) {
            callers.respond(tx, relayed, status); // a failed re-INVITE or re-attempt inside a live call changes nothing
            return Effect().none();
        }
        CallEvent failed = new CallEvent.CallFailed(status, response.reason(), tx.request.header(HeaderNames.FROM).orElse(""),
                tx.request.header(HeaderNames.TO).orElse(""), settings.clock().millis());
        unwritten.awaiting(tx);
        // the server transaction sends it, and again over UDP until the caller's ACK (Timer G)
        return Effect().persist(failed).thenRun(s -> {
            unwritten.written(tx);
            callers.respond(tx, relayed, status);
            registrar.callFinished(tx.request.header(HeaderNames.FROM).orElse(""));
        });
    }

    /** The first 2xx persists the answered dialog before it goes upstream; later 2xx (other forks) follow it. */
    private Effect<CallEvent, CallState> relayAnswer(CallState state, Envelope via, SipResponse ok, Destination upstream,
                                                     Optional<InviteTransaction> tx) {
        byte[] relayed = ProxyMessages.popVia(ok);
        Runnable relay = () -> tx.ifPresentOrElse(t -> callers.respond(t, relayed, ok.status()),
                () -> send(via, relayed, upstream));
        if (tx.isPresent() && unwritten.refused(tx.get())) {
            return Effect().none(); // the caller got our 503 when the journal failed: no 200 may follow it
        }
        if (state instanceof CallState.Answered || state instanceof CallState.Ended) {
            relay.run();
            return Effect().none();
        }
        long now = settings.clock().millis();
        int interval = SessionTimer.sessionExpires(ok)
                .orElse(tx.map(t -> SessionTimer.sessionExpires(t.request).orElse(0)).orElse(0));
        Dialog dialog = dialogOf(ok, via, tx, interval);
        long persistStarted = System.nanoTime();
        tx.ifPresent(unwritten::awaiting);
        return Effect().persist(new CallEvent.CallAnswered(dialog, now, SessionTimer.expiresAt(now, interval)))
                .thenRun(s -> {
                    tx.ifPresent(unwritten::written);
                    settings.overload().journalLatency(System.nanoTime() - persistStarted);
                    armSessionTimer(s);
                    relay.run();
                });
    }

    private Dialog dialogOf(SipResponse ok, Envelope callerEnv, Optional<InviteTransaction> tx, int interval) {
        String callerContact = tx.flatMap(t -> t.request.contacts().stream().findFirst())
                .map(c -> c.uri().toString()).orElse("");
        Destination callerHop = tx.map(t -> Reachability.ofSender(t.envelope, t.request.vias().size(), callerContact))
                .orElse(callerEnv.backToSender());
        String calleeContact = ok.contacts().stream().findFirst().map(c -> c.uri().toString()).orElse("");
        // the fork reached the device that answered: through its NAT or connection when it needed one
        Optional<Destination> forkHop = tx.flatMap(t -> ok.topVia().branch().map(t.branches::get))
                .filter(b -> !Reachability.byUri(b.target()).equals(Optional.of(b.destination())))
                .map(Branch::destination);
        Destination calleeHop = calleeContact.isEmpty() ? callerHop
                : forkHop.or(() -> Reachability.byUri(calleeContact)).orElse(callerHop);
        long cseq = ok.cseq().number();
        return new Dialog(callId, ok.header(HeaderNames.FROM).orElse(""), ok.header(HeaderNames.TO).orElse(""),
                callerContact, callerHop, calleeContact, calleeHop, cseq, 0, interval, callerEnv.local());
    }

    // ---------------------------------------------------------------- ACK, CANCEL, in-dialog

    private Effect<CallEvent, CallState> onAck(CallState state, Envelope env, SipRequest ack) {
        Via top = ack.topVia();
        InviteTransaction tx = invites.get(InviteTransaction.keyOf(top));
        if (tx != null && tx.finalStatus >= 300) {
            callers.acknowledged(tx);
            return Effect().none(); // the ACK of a non-2xx final response is hop by hop: it ends here (§17.2.1)
        }
        return forwardInDialog(state, env, ack, false);
    }

    private Effect<CallEvent, CallState> onCancel(CallState state, Envelope env, SipRequest cancel) {
        Via top = cancel.topVia();
        String key = InviteTransaction.keyOf(top);
        InviteTransaction tx = invites.get(key);
        if (tx == null) {
            return reply(env, cancel, 481, "Call/Transaction Does Not Exist");
        }
        send(env, cancel.response(200, "OK").toBytes(), Hops.upstream(env, top));
        if (tx.finalSent() || tx.cancelled) {
            return Effect().none();
        }
        tx.cancelled = true;
        tx.laterGroups.clear();
        if (tx.branches.isEmpty()) {
            return answer(state, key, 487, "Request Terminated");
        }
        cancelPending(tx);
        return Effect().none();
    }

    /** CANCELs every fork still ringing; one that has not answered at all is cancelled when it does (§9.1). */
    private void cancelPending(InviteTransaction tx) {
        for (Branch b : List.copyOf(tx.branches.values())) {
            if (b.pending() && !b.cancelled()) {
                tx.branches.put(b.id(), b.withCancelled());
                // no provisional yet: the CANCEL waits for one (§9.1); the INVITE's transaction runs on meanwhile
                if (b.provisional()) {
                    send(tx.envelope, ProxyMessages.cancelFor(b.forwarded()), b.destination());
                }
            }
        }
    }

    /** An in-dialog request; a retransmitted re-INVITE is its transaction's business. */
    private Effect<CallEvent, CallState> inDialog(CallState state, Envelope env, SipRequest request) {
        Optional<InviteTransaction> retransmitted = request.method().equals("INVITE")
                ? Optional.ofNullable(invites.get(InviteTransaction.keyOf(request.topVia()))) : Optional.empty();
        if (retransmitted.isPresent()) {
            callers.retransmitted(retransmitted.get());
            return Effect().none();
        }
        return forwardInDialog(state, env, request, true);
    }

    /**
     * An in-dialog request: routed by its Route set (see {@link InDialogRouter}) when its dialog is ours, BYEs and
     * the like statefully; one that belongs to no dialog of ours gets 481 and goes nowhere.
     */
    private Effect<CallEvent, CallState> forwardInDialog(CallState state, Envelope env, SipRequest request,
                                                         boolean stateful) {
        boolean known = KnownDialogs.knows(state, invites.values(), request);
        Optional<Dialog> moved = known ? DialogTargets.refreshed(state, env, request) : Optional.empty();
        if (moved.isPresent()) {
            // the phone moved (new network, new connection): the dialog follows it before the request goes on
            return Effect().persist(new CallEvent.RemoteTargetRefreshed(moved.get(), settings.clock().millis()))
                    .thenRun(s -> routeInDialog(s, env, request, stateful, true));
        }
        return routeInDialog(state, env, request, stateful, known);
    }

    private Effect<CallEvent, CallState> routeInDialog(CallState state, Envelope env, SipRequest request,
                                                       boolean stateful, boolean known) {
        InDialogRouter.Decision decision = router.route(request, env.local(), known,
                DialogTargets.toward(state, request));
        if (decision instanceof InDialogRouter.Refuse r) {
            return request.method().equals("ACK") ? Effect().none() : reply(env, request, r.status(), r.reason());
        }
        InDialogRouter.Forward f = (InDialogRouter.Forward) decision;
        String key = f.branch() + "|" + request.method();
        if (stateful && forwarded.absorb(key)) {
            return Effect().none();
        }
        trackCseq(state, request);
        if (!stateful) {
            send(env, f.forwarded().bytes(), f.downstream());
        } else if (request.method().equals("INVITE")) {
            forwardReInvite(env, request, f);
        } else {
            forwarded.start(key, new ClientTransaction(request, env, Hops.upstream(env, request.topVia()),
                    f.forwarded(), f.downstream()));
        }
        return Effect().none();
    }

    /**
     * A re-INVITE (hold, media change, session refresh) is proxied like the initial INVITE, by an INVITE server
     * transaction upstream and one client transaction along the route set: 100 Trying, Timer A/B downstream, a
     * non-2xx final acknowledged hop by hop and sent upstream until its ACK, retransmissions absorbed.
     */
    private void forwardReInvite(Envelope env, SipRequest reInvite, InDialogRouter.Forward f) {
        InviteTransaction tx = InviteTransaction.of(env, reInvite, true);
        invites.put(tx.key, tx);
        callers.start(tx);
        forkIndex.put(f.branch(), tx.key);
        forks.start(tx, f.branch(), reInvite.requestUriText(), f.downstream(), f.forwarded());
    }

    /** The caller is whoever sent the answered dialog's From tag (or, before the answer, the initial INVITE's). */
    private void trackCseq(CallState state, SipRequest request) {
        cseqs.saw(request, () -> state instanceof CallState.Answered a
                ? NameAddress.parse(a.dialog().from()).tag()
                : invites.values().stream().filter(t -> !t.inDialog).map(t -> t.request.from().tag())
                        .flatMap(Optional::stream).findFirst());
    }

    /** The ring timer: forwarding on no answer, or RFC 3261 Timer C. */
    private void ringFor(InviteTransaction tx, Duration duration) {
        tx.ringUntilMillis = settings.clock().millis() + duration.toMillis();
        timers.startSingleTimer("ring|" + tx.key, new RingTimeout(tx.key), duration);
    }

    /**
     * A call that has been set up (answered, failed or ended) with no transaction left and no session timer to
     * run asks its shard to passivate it: what it needs next (a BYE, a re-INVITE) is in the journal, so it costs
     * no memory while it talks; the next request wakes it. A call with a session timer stays awake to run it.
     */
    private void sleepIfQuiet(CallState state) {
        boolean timerToRun = state instanceof CallState.Answered a && a.sessionExpiresAtMillis() > 0;
        if (invites.isEmpty() && forwarded.isEmpty() && !(state instanceof CallState.Setup) && !timerToRun) {
            shard.ifPresent(s -> s.tell(new ClusterSharding.Passivate<>(context.getSelf())));
        }
    }

    // ---------------------------------------------------------------- hand-over between nodes

    /**
     * Sharding moves this entity to another node (its node leaves, or shards are rebalanced): INVITEs still ringing
     * are written down for the next incarnation, so the callee's answer, which sharding holds back until the
     * entity runs again, finds its transaction there. Answered calls need nothing more than their dialog.
     */
    private Effect<CallEvent, CallState> onHandOff(CallState state, HandOff cmd) {
        List<HandedOverInvite> ringing = invites.values().stream().filter(t -> !t.inDialog && !t.finalSent())
                .map(HandedOverInvite::of).toList();
        boolean stale = state instanceof CallState.Setup s && !s.handedOver().isEmpty();
        if (state instanceof CallState.Answered || state instanceof CallState.Ended || (ringing.isEmpty() && !stale)) {
            return Effect().stop();
        }
        log.info("call {}: handing over {} ringing INVITE(s) to the entity's next node", callId, ringing.size());
        // nothing else may come for the call for a while (a lookup in flight, a device still ringing): its INVITE,
        // routed again by its transport node, wakes it on the new node, where it is taken as a retransmission
        return Effect().persist(new CallEvent.RingingHandedOver(ringing, settings.clock().millis()))
                .thenRun(s -> ringing.forEach(r -> r.envelope().replyTo().tell(new Redeliver(r.envelope()))))
                .thenStop();
    }

    private void onRecovered(CallState state) {
        armSessionTimer(state);
        // after a journal failure the restart cancelled every timer: INVITEs refused then are forgotten in time
        unwritten.refusedStillIn(invites).forEach(key -> forgetLater(invites.get(key)));
        if (state instanceof CallState.Setup s && !s.handedOver().isEmpty()
                && settings.clock().millis() - s.handedOverAtMillis() < settings.inviteTimeout().toMillis()) {
            s.handedOver().forEach(this::takeOver);
        }
    }

    /**
     * Carries on with an INVITE the previous incarnation handed over: its transactions go on where they were (the
     * INVITE sent again only to a device that has not answered at all), its ring timer runs for what was left,
     * and an INVITE not yet routed is routed now.
     */
    private void takeOver(HandedOverInvite h) {
        Optional<InviteTransaction> restored = h.restore();
        if (restored.isEmpty()) {
            return;
        }
        InviteTransaction tx = restored.get();
        invites.put(tx.key, tx);
        callers.resume(tx);
        if (h.ringUntilMillis() > 0) {
            ringFor(tx, Duration.ofMillis(Math.max(0, h.ringUntilMillis() - settings.clock().millis())));
        }
        h.forks().forEach(f -> forks.resume(tx, f).ifPresent(id -> forkIndex.put(id, tx.key)));
        if (h.forks().isEmpty()) {
            context.getSelf().tell(new Reroute(tx.key));
        }
    }

    // ---------------------------------------------------------------- session timer

    /**
     * The session timer and the maximum-duration timer, from the persisted state. An answered call without a session
     * timer still passivates when quiet ({@link #sleepIfQuiet}), losing its timer: the call sweeper wakes it when due.
     */
    private void armSessionTimer(CallState state) {
        if (state instanceof CallState.Answered a && a.sessionExpiresAtMillis() > 0) {
            long delay = Math.max(0, a.sessionExpiresAtMillis() - settings.clock().millis());
            timers.startSingleTimer("session", new SessionExpiry(), Duration.ofMillis(delay));
        }
        if (state instanceof CallState.Answered a) {
            long end = CallDeadline.maxDurationEnd(a.answeredAtMillis(), settings.maxCallDuration());
            if (end != CallDeadline.NEVER) {
                long delay = Math.max(0, end - settings.clock().millis());
                timers.startSingleTimer("max-duration", new CheckDeadline(), Duration.ofMillis(delay));
            }
        }
    }

    /** Nobody refreshed the session in time: the call is dead; end it on both sides (RFC 4028 §10). */
    private Effect<CallEvent, CallState> onSessionExpiry(CallState state, SessionExpiry cmd) {
        return onCheckDeadline(state, new CheckDeadline());
    }

    /**
     * A timer of ours, or the call sweeper waking a call that is due: a call whose session ran out or that lasted
     * the maximum duration ends on both sides; one that is not due yet (a refresh the sweeper had not seen) arms
     * its timers again.
     */
    private Effect<CallEvent, CallState> onCheckDeadline(CallState state, CheckDeadline cmd) {
        long now = settings.clock().millis();
        if (!(state instanceof CallState.Answered a)
                || !(CallDeadline.decide(state, now, settings.maxCallDuration()) instanceof CallDeadline.End end)) {
            armSessionTimer(state);
            return Effect().none();
        }
        Dialog d = cseqs.update(a.dialog());
        List<SessionTeardown.Bye> byes = SessionTeardown.byes(settings, d, d.callerCseq(), d.calleeCseq(), end.cause());
        log.info("call {}: ended by the proxy ({})", callId, end.cause());
        return Effect().persist(new CallEvent.CallEnded(end.cause(), now))
                .thenRun(s -> {
                    byes.forEach(bye -> sendVia(bye.bytes(), bye.destination()));
                    registrar.callFinished(d.from());
                });
    }

    // ---------------------------------------------------------------- helpers

    /** A final response of the proxy's own to the INVITE (no target, lookup failed, cancelled before forking). */
    private Effect<CallEvent, CallState> answer(CallState state, String key, int status, String reason, String... header) {
        InviteTransaction tx = invites.get(key);
        if (tx == null || tx.finalSent()) {
            return Effect().none();
        }
        var builder = tx.request.response(status, reason).toTag(toTag());
        for (int i = 0; i + 1 < header.length; i += 2) {
            builder.header(header[i], header[i + 1]);
        }
        return relayFinal(state, tx, builder.build());
    }

    private Effect<CallEvent, CallState> reply(Envelope env, SipRequest request, int status, String reason) {
        send(env, request.response(status, reason).toTag(toTag()).toBytes(), Hops.upstream(env, request.topVia()));
        return Effect().none();
    }

    private String toTag() {
        return settings.branches().derive(callId, "to-tag").substring(9, 21);
    }

    /** Keeps a transaction whose final response went up for the retransmission window, then lets it go. */
    private void forgetLater(InviteTransaction tx) {
        // 64*T1: Timer H/J's span, the longest a retransmission of the INVITE or its final response can come
        timers.startSingleTimer("forget|" + tx.key, new ForgetTransaction(tx.key), settings.t1().multipliedBy(64));
    }

    private static void send(Envelope via, byte[] bytes, Destination destination) {
        via.replyTo().tell(new Send(bytes, destination));
    }

    /**
     * Sends a request the proxy makes on its own, through the transport that handled the last message of this
     * call (or any: the receptionist finds one), or drops it when none is known.
     */
    private void sendVia(byte[] bytes, Destination destination) {
        lastTransport().ifPresentOrElse(t -> t.tell(new Send(bytes, destination)),
                () -> log.warn("call {}: no transport known to send a BYE of our own", callId));
    }

    private Optional<ActorRef<org.switchboard.transport.api.TransportCommand>> lastTransport() {
        return invites.values().stream().map(t -> t.envelope.replyTo()).findFirst()
                .or(() -> forwarded.anyEnvelope().map(Envelope::replyTo))
                .or(() -> settings.transports().any());
    }
}
