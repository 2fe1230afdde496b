package org.switchboard.registrar;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.registrar.api.AccountCommand;
import org.switchboard.registrar.api.AccountView;
import org.switchboard.registrar.api.CallFinished;
import org.switchboard.registrar.api.CheckCredentials;
import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.registrar.api.AwakeRegistrations;
import org.switchboard.registrar.api.DirectCommand;
import org.switchboard.registrar.api.DirectRegister;
import org.switchboard.registrar.api.EntityShard;
import org.switchboard.registrar.api.HandleRegister;
import org.switchboard.registrar.api.IdlePassivation;
import org.switchboard.registrar.api.Lookup;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.registrar.api.ProvisionAccount;
import org.switchboard.registrar.api.RegistrationCommand;
import org.switchboard.registrar.api.RegistrationEntity;
import org.switchboard.sip.HeaderNames;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.LogSafe;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.SendPaths;

import akka.Done;
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
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;

/**
 * One address-of-record: its account (HA1 digests), forwarding rules and contact bindings, event-sourced and
 * sharded by the normalised AOR (RFC 3261 §10.3: scheme, user, lower-case host).
 *
 * <p><b>Durability.</b> A new, changed or removed binding is persisted before the 200 OK leaves. A refresh
 * (same device, same contact, same route; only expiry, Call-ID and CSeq move) is persisted only when the
 * durable record would otherwise lapse too soon: it stays in memory when the persisted expiry is at least two of
 * the device's observed refresh intervals plus {@value RegisterHandler#REFRESH_MARGIN_MILLIS} ms away, so a device
 * that keeps its cadence is always back before the durable record lapses, whatever happens to this node. A refresh
 * that shortens the binding is persisted. On passivation and graceful shutdown the same rule decides, at that
 * moment, whether an in-memory refresh must be written; a crash or a passivation can therefore make a binding lapse
 * earlier than its last 200 OK said, never before the device's next refresh is due (docs/architecture.md, "The
 * refresh rule").
 *
 * <p><b>Retention.</b> Snapshots with deletion of the events and snapshots they cover ({@link #RETENTION}): an AOR's
 * journal rows are bounded whatever its age.
 *
 * <p><b>Expiry.</b> While awake, a timer removes bindings (with an event) when they expire; after recovery,
 * bindings that expired in the meantime are removed the same way. Lookups never return an expired binding.
 *
 * <p><b>Replay.</b> A retransmitted REGISTER (same branch and CSeq) gets the same response again, with no new
 * events; a replayed Authorization (same nonce, same or lower nonce-count) gets a new challenge, and so does one
 * whose nonce an earlier incarnation of this entity issued (see {@link Nonces}: the counts that would recognise
 * its replay did not survive the passivation, restart or move).
 *
 * <p><b>No account.</b> An AOR without account is challenged and refused exactly like one with an account and a
 * wrong password (see {@link DigestCheck}), for REGISTER and for {@link CheckCredentials}: the registrar does not
 * say which users exist. Every failed credential is reported to the transport node that received it
 * ({@code AuthFailed}), which bans sources that guess.
 *
 * <p><b>Call limits.</b> {@link CheckCredentials} admits a call only within the account's concurrent and
 * per-minute limits ({@link CallAdmission}); {@link CallFinished} releases it. The admitted Call-IDs are kept in
 * memory, and persisted on passivation while calls are going, like in-memory refreshes.
 *
 * <p><b>Journal failure.</b> When the events of a REGISTER cannot be persisted, the phone gets 503 with
 * Retry-After, never a 200, and the entity restarts with backoff.
 */
public final class Registration
        extends EventSourcedBehaviorWithEnforcedReplies<RegistrationCommand, RegistrationEvent, RegistrationState> {
    private static final Logger log = LoggerFactory.getLogger(Registration.class);
    /**
     * A snapshot every 10 events, the events (and snapshots) older than the last two snapshots deleted: an AOR's
     * journal stays within 46 rows whatever its age (docs/architecture.md, "Retention"; RegistrationRetentionTest).
     */
    static final RetentionCriteria RETENTION = RetentionCriteria.snapshotEvery(10, 2).withDeleteEventsOnSnapshot();

    /** Remove bindings whose time is up. */
    record ExpireBindings() implements RegistrationCommand {
    }

    /** Sharding's stop message: persist what the durability rule still needs (held refreshes, calls), then stop. */
    record Passivate() implements RegistrationCommand {
    }

    /** Retransmissions of a REGISTER stop after 32 s (RFC 3261 Timer F): the cached answer can go. */
    record ForgetLastResponse() implements RegistrationCommand {
    }

    /** The idle timer: passivate when nothing came for the sharding idle timeout ({@link IdlePassivation}). */
    record CheckIdle() implements RegistrationCommand {
    }

    private record InFlight(Envelope envelope, SipRequest request) {
    }

    private final String aor;
    private final RegistrarSettings settings;
    private final RegisterHandler handler;
    private final ActorContext<RegistrationCommand> context;
    private final EntityAuth auth;
    private final CallAdmission admission;
    private final RetentionCriteria retention;
    private final IdlePassivation<RegistrationCommand> idle;
    /** Refreshes not (yet) persisted: newer than the state's binding of their key. */
    private final HeldRefreshes held = new HeldRefreshes();
    /** The last request handled and its answer, to absorb retransmissions. */
    private final LastResponse lastResponse;
    private final ExpiryTimer expiry;
    /** The REGISTER whose events are being persisted: answered 503 if the journal fails them. */
    private Optional<InFlight> inFlight = Optional.empty();

    private Registration(String aor, RegistrarSettings settings, RegisterHandler handler,
                         RetentionCriteria retention, ActorContext<RegistrationCommand> context,
                         TimerScheduler<RegistrationCommand> timers, EntityShard sharded) {
        super(PersistenceId.of(RegistrationEntity.KEY.name(), aor),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.aor = aor;
        this.settings = settings;
        this.handler = handler;
        this.retention = retention;
        this.context = context;
        this.auth = new EntityAuth(aor, settings, handler.nonces());
        this.admission = new CallAdmission(settings.limits().forgetCallAfterMillis());
        this.lastResponse = new LastResponse(timers, settings.clock(), new ForgetLastResponse());
        this.expiry = new ExpiryTimer(timers, settings.clock(), new ExpireBindings());
        this.idle = new IdlePassivation<>(context, timers, sharded.shard(), sharded.idleTimeout(), settings.clock(),
                new CheckIdle());
    }

    public static void init(ActorSystem<?> system, RegistrarSettings settings, String coreRole) {
        RegisterHandler handler = new RegisterHandler(settings,
                new Nonces(settings.clusterSecret(), settings.nonceLifetimeMillis()));
        // the edge feeds awake entities directly, which sharding does not see: each passivates itself when idle
        Duration idleTimeout = EntityShard.idleTimeout(system);
        ClusterSharding.get(system).init(Entity.of(RegistrationEntity.KEY, ctx -> create(ctx.getEntityId(), settings,
                        handler, RETENTION, new EntityShard(Optional.of(ctx.getShard()), idleTimeout)))
                .withRole(coreRole)
                .withSettings(EntityShard.selfPassivating(system))
                .withStopMessage(new Passivate()));
    }

    public static Behavior<RegistrationCommand> create(String aor, RegistrarSettings settings) {
        return create(aor, settings, new RegisterHandler(settings,
                new Nonces(settings.clusterSecret(), settings.nonceLifetimeMillis())));
    }

    /** @param handler shared by every entity of the node: stateless (its nonces' HMAC keys are per thread) */
    static Behavior<RegistrationCommand> create(String aor, RegistrarSettings settings, RegisterHandler handler) {
        return create(aor, settings, handler, RETENTION, EntityShard.NONE);
    }

    /** @param retention {@link #RETENTION}; tests pass an earlier version's to write the journals it left */
    static Behavior<RegistrationCommand> create(String aor, RegistrarSettings settings, RegisterHandler handler,
                                                RetentionCriteria retention, EntityShard sharded) {
        // the lines the entity logs while it handles a command carry the AOR (logback: %X{aor}, JSON: mdc)
        return Behaviors.withMdc(RegistrationCommand.class, Map.of(RegistrationLog.MDC_KEY, LogSafe.text(aor)),
                Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Registration(aor, settings, handler, retention, ctx, timers, sharded))));
    }

    @Override
    public RegistrationState emptyState() {
        return new RegistrationState.Unprovisioned();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return retention;
    }

    @Override
    public CommandHandlerWithReply<RegistrationCommand, RegistrationEvent, RegistrationState> commandHandler() {
        // one case dispatching by type: a builder case per command costs ~60 bytes per awake entity, times 12
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onAnyCommand(this::dispatch);
    }

    private ReplyEffect<RegistrationEvent, RegistrationState> dispatch(RegistrationState s, RegistrationCommand c) {
        if (c instanceof DirectCommand d) {
            return dispatch(s, d.command());
        } else if (c instanceof CheckIdle) {
            idle.check();
            return Effect().noReply();
        } else if (!(c instanceof ExpireBindings || c instanceof ForgetLastResponse)) {
            idle.active();
        }
        if (c instanceof DirectRegister d) {
            return onRegister(s, d.envelope(), d.request());
        } else if (c instanceof HandleRegister r) {
            return onRegister(s, r.envelope());
        } else if (c instanceof Lookup l) {
            return onLookup(s, l);
        } else if (c instanceof ProvisionAccount p) {
            return onProvision(s, p);
        } else if (c instanceof CheckCredentials cc) {
            return onCheckCredentials(s, cc);
        } else if (c instanceof CallFinished f) {
            admission.finished(f.callId());
            return Effect().noReply();
        } else if (c instanceof ExpireBindings) {
            expiry.fired();
            return onExpire(s);
        } else if (c instanceof ForgetLastResponse) {
            lastResponse.forgetIfOld();
            return Effect().noReply();
        } else if (c instanceof Passivate) {
            return onPassivate(s);
        } else if (AccountChanges.decides(c)) {
            return onAccountChange(s, c);
        } else if (c instanceof AccountCommand.ListBindings l) {
            return Effect().reply(l.replyTo(), lookup(s, false));
        } else if (c instanceof AccountCommand.Describe d) {
            return Effect().reply(d.replyTo(), s instanceof RegistrationState.Provisioned p
                    ? AccountViews.of(p, effectiveBindings(p).values()) : AccountView.none());
        }
        log.warn("{}: unexpected command {}", aor, c.getClass().getName());
        return Effect().noReply();
    }

    // ---------------------------------------------------------------- REGISTER

    /** A REGISTER through sharding: its bytes only (it may come from another node's edge). */
    private ReplyEffect<RegistrationEvent, RegistrationState> onRegister(RegistrationState state, Envelope env) {
        ParseResult parsed = SipParser.parse(env.bytes());
        if (!(parsed instanceof ParseResult.Parsed p) || !(p.message() instanceof SipRequest request)) {
            log.warn("REGISTER for {} that does not parse reached the entity; dropped", aor);
            return Effect().noReply();
        }
        return onRegister(state, env, request);
    }

    /** {@code request} is {@code env}'s bytes parsed (by this node's edge, for a {@link DirectRegister}). */
    private ReplyEffect<RegistrationEvent, RegistrationState> onRegister(RegistrationState state, Envelope env,
                                                                        SipRequest request) {
        String requestKey = request.topVia().branch().orElse("") + "/" + request.header("cseq").orElse("");
        Optional<byte[]> answered = lastResponse.to(requestKey);
        if (answered.isPresent()) {
            SendPaths.send(env.replyTo(), new Send(answered.get(), env.backToSender()));
            return Effect().noReply();
        }
        if (settings.overload().refuses(request.callId())) {
            // a registration storm is answered at once, not queued until every phone retransmits
            byte[] shed = RegisterHandler.response(request, 503, "Service Unavailable - overloaded")
                    .header("Retry-After", Integer.toString(settings.overload().retryAfterSeconds())).toBytes();
            SendPaths.send(env.replyTo(), new Send(shed, env.backToSender()));
            return Effect().noReply();
        }
        long now = settings.clock().millis();
        DigestCheck.Result checked = auth.check(request.method(), request.requestUriText(),
                request.headers(HeaderNames.AUTHORIZATION), account(state), now);
        if (checked instanceof DigestCheck.Failed) {
            auth.failed(env.remote(), env.replyTo(), now);
            RegistrationLog.authenticationFailed("REGISTER", env.remote());
        }
        Map<String, ContactBinding> before = state instanceof RegistrationState.Provisioned provisioned
                ? effectiveBindings(provisioned) : Map.of();
        RegisterOutcome outcome = handler.handle(state, before, request, env, checked, now);
        lastResponse.remember(requestKey, outcome.response(), now);
        Send send = new Send(outcome.response(), env.backToSender());
        held.forget(outcome.events());
        held.hold(outcome.memoryRefreshes(), before);
        if (outcome.events().isEmpty()) {
            scheduleExpiry(state);
            SendPaths.send(env.replyTo(), send);
            return Effect().noReply();
        }
        inFlight = Optional.of(new InFlight(env, request));
        long persistStarted = System.nanoTime();
        return Effect().persist(outcome.events()).thenRun(s -> {
            settings.overload().journalLatency(System.nanoTime() - persistStarted);
            inFlight = Optional.empty();
            scheduleExpiry(s);
            RegistrationLog.changed(aor, before, outcome.events(), now);
            SendPaths.send(env.replyTo(), send);
        }).thenNoReply();
    }

    /** The state's bindings with the newer in-memory refreshes laid over them. */
    private Map<String, ContactBinding> effectiveBindings(RegistrationState.Provisioned state) {
        return held.over(state.bindings());
    }

    /**
     * The journal failed to persist what a REGISTER changed: the entity restarts, and the phone gets 503 with
     * Retry-After instead of silence (it must not believe a binding exists that was not stored).
     */
    private void answerUnavailable() {
        inFlight.ifPresent(f -> {
            lastResponse.forget();
            byte[] response = RegisterHandler.response(f.request(), 503, "Service Unavailable - registration store unavailable")
                    .header("Retry-After", "5").toBytes();
            SendPaths.send(f.envelope().replyTo(), new Send(response, f.envelope().backToSender()));
        });
        inFlight = Optional.empty();
    }

    // ---------------------------------------------------------------- lookup and provisioning

    private ReplyEffect<RegistrationEvent, RegistrationState> onLookup(RegistrationState state, Lookup cmd) {
        return Effect().reply(cmd.replyTo(), lookup(state, true));
    }

    private LookupResult lookup(RegistrationState state, boolean liveOnly) {
        if (!(state instanceof RegistrationState.Provisioned p)) {
            return LookupResult.unknown();
        }
        long now = settings.clock().millis();
        List<ContactBinding> all = new ArrayList<>(effectiveBindings(p).values());
        List<ContactBinding> bindings = RegistrationState.Provisioned.ordered(
                liveOnly ? all.stream().filter(b -> b.liveAt(now)).toList() : all);
        LookupResult.Status status = !p.account().enabled() ? LookupResult.Status.DISABLED
                : bindings.isEmpty() ? LookupResult.Status.NOT_REGISTERED : LookupResult.Status.REGISTERED;
        return new LookupResult(status, p.account().enabled() || !liveOnly ? bindings : List.of(), p.forwarding());
    }

    private ReplyEffect<RegistrationEvent, RegistrationState> onProvision(RegistrationState state, ProvisionAccount cmd) {
        Account account = new Account(cmd.username(), cmd.realm(), cmd.ha1Md5(), cmd.ha1Sha256(), true);
        if (state instanceof RegistrationState.Provisioned p && p.account().sameCredentials(account)) {
            return Effect().reply(cmd.replyTo(), Done.getInstance());
        }
        Account kept = state instanceof RegistrationState.Provisioned p ? account.withEnabled(p.account().enabled()) : account;
        return Effect().persist(new RegistrationEvent.AccountProvisioned(kept))
                .thenReply(cmd.replyTo(), s -> Done.getInstance());
    }

    private static Optional<Account> account(RegistrationState state) {
        return state instanceof RegistrationState.Provisioned p ? Optional.of(p.account()) : Optional.empty();
    }

    /** A caller's credentials (407), checked like a REGISTER's, then the account's call limits. */
    private ReplyEffect<RegistrationEvent, RegistrationState> onCheckCredentials(RegistrationState state,
                                                                                CheckCredentials cmd) {
        return Effect().reply(cmd.replyTo(), CallerCheck.verdict(aor, state, cmd, auth, admission, settings.limits(),
                settings.clock().millis()));
    }

    /** An operator's change to the account: decided by {@link AccountChanges}, persisted, then answered. */
    private ReplyEffect<RegistrationEvent, RegistrationState> onAccountChange(RegistrationState state,
                                                                             RegistrationCommand cmd) {
        long now = settings.clock().millis();
        AccountChanges.Decision decision = AccountChanges.decide(aor, state, cmd, now);
        ActorRef<StatusReply<Done>> replyTo = AccountChanges.replyTo(cmd);
        if (decision.events().isEmpty()) {
            return Effect().reply(replyTo, decision.answer());
        }
        // a refresh held in memory must not outlive the binding (or the account) it refreshed
        held.forget(decision.events());
        Map<String, ContactBinding> before = state instanceof RegistrationState.Provisioned p ? p.bindings() : Map.of();
        return Effect().persist(decision.events()).thenReply(replyTo, s -> {
            RegistrationLog.changed(aor, before, decision.events(), now);
            return decision.answer();
        });
    }

    // ---------------------------------------------------------------- expiry and passivation

    private ReplyEffect<RegistrationEvent, RegistrationState> onExpire(RegistrationState state) {
        if (!(state instanceof RegistrationState.Provisioned p)) {
            return Effect().noReply();
        }
        long now = settings.clock().millis();
        List<RegistrationEvent> expired = effectiveBindings(p).entrySet().stream()
                .filter(e -> !e.getValue().liveAt(now))
                .<RegistrationEvent>map(e -> new RegistrationEvent.BindingRemoved(e.getKey(), "expired"))
                .toList();
        if (expired.isEmpty()) {
            scheduleExpiry(state);
            return Effect().noReply();
        }
        held.forget(expired);
        Map<String, ContactBinding> before = effectiveBindings(p);
        return Effect().persist(expired).thenRun(s -> {
            RegistrationLog.changed(aor, before, expired, now);
            scheduleExpiry(s);
        }).thenNoReply();
    }

    private void scheduleExpiry(RegistrationState state) {
        expiry.firstEndAt(state instanceof RegistrationState.Provisioned p ? held.firstEnd(p.bindings()) : Long.MAX_VALUE);
    }

    private ReplyEffect<RegistrationEvent, RegistrationState> onPassivate(RegistrationState state) {
        asleep(); // what comes next goes through sharding, which holds it until this entity has stopped
        if (!(state instanceof RegistrationState.Provisioned p)) {
            return Effect().stop().thenNoReply();
        }
        // a held refresh is written only when the durable binding would lapse before the device is next due back:
        // the next incarnation then reads the durable expiry, which still covers it (the rule on the class)
        List<RegistrationEvent> events = new ArrayList<>(held.releaseAtStop(p.bindings(), settings.clock().millis()));
        // the calls going now count against the next incarnation's limit; an empty set is written only to
        // replace one kept at an earlier passivation
        Map<String, Long> calls = admission.active();
        if (!calls.equals(p.activeCalls())) {
            events.add(new RegistrationEvent.ActiveCallsKept(calls));
        }
        if (events.isEmpty()) {
            return Effect().stop().thenNoReply();
        }
        return Effect().persist(events).thenStop().thenNoReply();
    }

    @Override
    public SignalHandler<RegistrationState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    if (state instanceof RegistrationState.Provisioned p) {
                        admission.restore(p.activeCalls());
                    }
                    context.getSelf().tell(new ExpireBindings());
                    AwakeRegistrations.get(context.getSystem()).awake(aor, context.getSelf());
                    idle.start();
                })
                .onSignal(PreRestart.instance(), state -> {
                    asleep();
                    // only a journal failure restarts it (the constructor's strategy): counted by the node's metrics
                    settings.overload().journalFailed();
                    answerUnavailable();
                })
                .onSignal(PostStop.instance(), state -> {
                    asleep();
                    answerUnavailable();
                })
                .build();
    }

    private void asleep() {
        AwakeRegistrations.get(context.getSystem()).asleep(aor, context.getSelf());
    }

    @Override
    public EventHandler<RegistrationState, RegistrationEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(RegistrationState::apply);
    }
}
