package org.switchboard.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.session.CallTimers.CheckIdle;
import org.switchboard.session.CallTimers.ForgetTransaction;
import org.switchboard.session.CallTimers.HandOff;
import org.switchboard.session.CallTimers.ResumeInvite;
import org.switchboard.session.CallTimers.RingTimeout;
import org.switchboard.session.CallTimers.SessionExpiry;
import org.switchboard.session.CallTimers.TransactionTimer;
import org.switchboard.registrar.api.EntityShard;
import org.switchboard.registrar.api.IdlePassivation;
import org.switchboard.session.RegistrarAsks.AskAgain;
import org.switchboard.session.RegistrarAsks.CalleeFound;
import org.switchboard.session.RegistrarAsks.CallerChecked;
import org.switchboard.session.RegistrarAsks.LookupFailed;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.api.CallEntity;
import org.switchboard.session.api.CallAdminCommand;
import org.switchboard.session.api.DirectSip;
import org.switchboard.session.api.CheckDeadline;
import org.switchboard.session.api.HandleSip;
import org.switchboard.session.proxy.BranchId;
import org.switchboard.session.proxy.ForwardedKey;
import org.switchboard.session.proxy.InviteKey;
import org.switchboard.session.proxy.InviteProxy;
import org.switchboard.session.proxy.ProxyInput;
import org.switchboard.sip.Method;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.transport.LogSafe;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Redeliver;
import org.switchboard.transport.api.TransportCommand;

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
import akka.persistence.typed.SnapshotSelectionCriteria;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.Recovery;
import akka.persistence.typed.javadsl.SignalHandler;

/**
 * Every transaction and dialog of one Call-ID: a record-routing, transaction-stateful, forking proxy
 * (RFC 3261 §16) with call forwarding, caller authentication and session timers (RFC 4028).
 *
 * <p>The entity is an executor: the proxy's decisions are the pure {@link InviteProxy}'s, carried out by
 * {@link Invites}; in-dialog requests are {@link InDialog}'s. Persisted: the call answered (its dialog), refreshed,
 * transferred, failed and ended, and INVITEs ringing when the entity moves between nodes. In memory only: the
 * transactions; after a failover responses are routed by their Via alone, in-dialog requests by their Route alone,
 * so an answered call is still ended cleanly, and the session timer is re-armed from the persisted expiry. See
 * docs/architecture.md, "The Call entity".
 */
public final class Call extends EventSourcedBehavior<CallCommand, CallEvent, CallState> {
    private static final Logger log = LoggerFactory.getLogger(Call.class);

    private final ActorContext<CallCommand> context;
    private final TimerScheduler<CallCommand> timers;
    private final String callId;
    private final SessionSettings settings;
    private final RegistrarAsks registrar;
    private final DialogCseqs cseqs = new DialogCseqs();
    private final InDialog inDialog;
    private final Invites invites;
    private final Requests requests;
    private final CallSleep sleep;
    private final IdlePassivation<CallCommand> idle;
    private final CallDeadlines deadlines;

    private Call(ActorContext<CallCommand> context, TimerScheduler<CallCommand> timers, String callId,
                 SessionSettings settings, EntityShard shard) {
        // a failed persist restarts the entity: an INVITE whose answer it was gets 503 (UnwrittenAnswers); other
        // unanswered peers retransmit and the next try persists
        super(PersistenceId.of(CallEntity.KEY.name(), callId),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.context = context;
        this.timers = timers;
        this.callId = callId;
        this.settings = settings;
        TransactionDriver driver = new TransactionDriver(timers, settings);
        this.registrar = new RegistrarAsks(context, timers, settings, callId);
        String node = context.getSystem().address().hostPort(); // written into the call's outcome events (CDRs)
        this.deadlines = new CallDeadlines(callId, settings, timers, Effect(), cseqs, registrar, this::lastTransport, node);
        TopologyHiding hiding = new TopologyHiding(settings.topologyHiding(), settings.branches(), settings.routes().values());
        Subscriptions subscriptions = new Subscriptions();
        this.inDialog = new InDialog(callId, settings, Effect(), driver, registrar, cseqs, deadlines, node, subscriptions,
                hiding);
        this.invites = new Invites(callId, settings, Effect(), timers, driver, registrar, inDialog::relay, deadlines, node,
                hiding);
        this.requests = new Requests(callId, settings, driver, registrar, subscriptions, hiding);
        inDialog.proxying(invites);
        this.sleep = new CallSleep(callId, context, shard.shard(), invites, inDialog, requests, subscriptions);
        this.idle = new IdlePassivation<>(context, timers, shard.shard(), shard.idleTimeout(), settings.clock(),
                new CheckIdle());
        inDialog.whenEnded(sleep::ifQuiet);
    }

    public static void init(ActorSystem<?> system, SessionSettings settings, String coreRole) {
        // the edge feeds awake entities directly, which sharding does not see: each passivates itself when idle
        Duration idleTimeout = EntityShard.idleTimeout(system);
        ClusterSharding.get(system).init(Entity.of(CallEntity.KEY,
                        ctx -> create(ctx.getEntityId(), settings, new EntityShard(Optional.of(ctx.getShard()), idleTimeout)))
                .withSettings(EntityShard.selfPassivating(system))
                .withStopMessage(new HandOff())
                .withRole(coreRole));
    }

    public static Behavior<CallCommand> create(String callId, SessionSettings settings) {
        return create(callId, settings, EntityShard.NONE);
    }

    /** In a shard that does not passivate it when idle. */
    static Behavior<CallCommand> create(String callId, SessionSettings settings,
                                        Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
        return create(callId, settings, new EntityShard(shard, Duration.ZERO));
    }

    static Behavior<CallCommand> create(String callId, SessionSettings settings, EntityShard shard) {
        // the lines the entity logs while it handles a command carry the Call-ID (logback: %X{callId}, JSON: mdc)
        return Behaviors.withMdc(CallCommand.class, Map.of(CallLog.MDC_KEY, LogSafe.text(callId)),
                Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Call(ctx, timers, callId, settings, shard))));
    }

    @Override
    public CallState emptyState() {
        return new CallState.Setup();
    }

    /** A call never takes a snapshot: its recovery does not ask the snapshot store (one read fewer per new Call-ID). */
    @Override
    public Recovery recovery() {
        return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
    }

    /**
     * One method rather than Akka's handler builders: a builder's cases (two lambdas, a case record and a list cell
     * each) and its partial functions are made for every entity, 2.5 KiB of a call in progress's 14.5 KiB, and each
     * command is then tested against them in turn.
     */
    @Override
    public CommandHandler<CallCommand, CallEvent, CallState> commandHandler() {
        return this::onCommand;
    }

    private Effect<CallEvent, CallState> onCommand(CallState state, CallCommand command) {
        if (command instanceof CheckIdle) {
            idle.check();
            return Effect().none();
        } else if (!(command instanceof TransactionTimer || command instanceof ForgetTransaction
                || command instanceof RingTimeout || command instanceof SessionExpiry)) {
            idle.active();
        }
        if (command instanceof HandleSip cmd) {
            return onSip(state, cmd.envelope());
        } else if (command instanceof DirectSip cmd) {
            return onSip(state, cmd.envelope(), cmd.message());
        } else if (command instanceof CallerChecked cmd) {
            return invites.feed(state, cmd.key(), new ProxyInput.CallerJudged(cmd.verdict()));
        } else if (command instanceof CalleeFound cmd) {
            return invites.feed(state, cmd.key(), Invites.calleeFound(cmd.result(), cmd.diversion(), cmd.depth(), cmd.gruu()));
        } else if (command instanceof TransactionTimer cmd) {
            return onTransactionTimer(state, cmd);
        } else if (command instanceof ForgetTransaction cmd) {
            invites.forget(cmd.key());
            sleep.ifQuiet(state);
            return Effect().none();
        } else if (command instanceof LookupFailed cmd) {
            return onLookupFailed(state, cmd);
        } else if (command instanceof Requests.SenderChecked cmd) {
            return afterRequest(state, () -> requests.senderChecked(cmd));
        } else if (command instanceof Requests.TargetsFound cmd) {
            return afterRequest(state, () -> requests.targetsFound(cmd));
        } else if (command instanceof Requests.RequestAskFailed cmd) {
            return afterRequest(state, () -> requests.askFailed(cmd));
        } else if (command instanceof AskAgain cmd) {
            invites.get(cmd.failed().key()).filter(Call::asking).ifPresent(p -> registrar.askAgain(cmd, p));
            return Effect().none();
        } else if (command instanceof ResumeInvite cmd) {
            return invites.feed(state, cmd.key(), new ProxyInput.Resumed());
        } else if (command instanceof RingTimeout cmd) {
            return invites.feed(state, cmd.key(), new ProxyInput.RingTimedOut());
        } else if (command instanceof HandOff cmd) {
            return onHandOff(state, cmd);
        } else if (command instanceof SessionExpiry || command instanceof CheckDeadline) {
            return deadlines.check(state);
        } else if (command instanceof CallAdminCommand.HangUp cmd) {
            return deadlines.hangUp(state, cmd.replyTo());
        } else if (command instanceof CallAdminCommand.Describe cmd) {
            cmd.replyTo().tell(CallViews.of(callId, state, context.getSystem().address().hostPort()));
            sleep.afterALook(state);
            return Effect().none();
        }
        log.warn("call {}: unknown command {} dropped", callId, command.getClass().getName());
        return Effect().unhandled();
    }

    @Override
    public EventHandler<CallState, CallEvent> eventHandler() {
        return CallState::apply;
    }

    /** Only these three: a catch-all would hide the signals Akka's own fallback handles (its failure logs). */
    @Override
    public SignalHandler<CallState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::onRecovered)
                // a journal write failed: the entity restarts (or stops); callers whose answer was lost get 503
                .onSignal(PreRestart.instance(), state -> {
                    sleep.asleep();
                    settings.overload().journalFailed(); // counted by the node's metrics
                    invites.refuseUnwritten();
                })
                .onSignal(PostStop.instance(), state -> {
                    sleep.asleep();
                    invites.refuseUnwritten();
                })
                .build();
    }

    private Effect<CallEvent, CallState> onSip(CallState state, Envelope env) {
        ParseResult parsed = SipParser.parse(env.bytes());
        if (!(parsed instanceof ParseResult.Parsed p)) {
            log.warn("message for call {} that does not parse reached the entity; dropped", callId);
            return Effect().none();
        }
        return onSip(state, env, p.message());
    }

    /** {@code message} is {@code env}'s bytes parsed (by this node's edge, for a {@link DirectSip}). */
    private Effect<CallEvent, CallState> onSip(CallState state, Envelope env, SipMessage message) {
        try {
            if (message instanceof SipResponse response) {
                return onResponse(state, env, response);
            }
            SipRequest request = (SipRequest) message;
            Method method = request.methodType();
            if (method.equals(Method.ACK)) {
                return invites.acknowledged(request) ? Effect().none() : inDialogOrStray(state, env, request, false);
            }
            if (method.equals(Method.CANCEL)) {
                return invites.cancel(state, env, request);
            }
            if (request.to().tag().isPresent()) {
                return method.equals(Method.INVITE) && invites.absorbed(request) ? Effect().none()
                        : inDialogOrStray(state, env, request, true);
            }
            return method.equals(Method.INVITE) ? invites.initial(state, env, request)
                    : afterRequest(state, () -> requests.initial(env, request));
        } catch (SipParseException e) {
            log.debug("call {}: bad header: {}", callId, e.error().reason());
            if (message instanceof SipRequest request && !request.methodType().equals(Method.ACK)) {
                return reply(env, request, 400, "Bad Request - " + e.error().reason());
            }
            return Effect().none();
        }
    }

    /** A request inside a dialog; one that belongs to none this entity holds lets it go at once. */
    private Effect<CallEvent, CallState> inDialogOrStray(CallState state, Envelope env, SipRequest request, boolean stateful) {
        Effect<CallEvent, CallState> effect = inDialog.request(state, env, request, stateful);
        sleep.ifHoldingNothing(state);
        return effect;
    }

    private Effect<CallEvent, CallState> onResponse(CallState state, Envelope env, SipResponse response) {
        Method method = response.cseq().methodType();
        if (method.equals(Method.CANCEL)) {
            return Effect().none(); // the 200 to our own CANCEL ends here (§16.10)
        }
        BranchId branch = new BranchId(response.topVia().branch().orElse(""));
        if (!method.equals(Method.INVITE) && requests.ownsFork(branch)) {
            return afterRequest(state, () -> requests.forkResponse(branch, response));
        }
        Optional<ProxiedInvite> forked = method.equals(Method.INVITE) ? invites.byFork(branch) : Optional.empty();
        if (forked.isPresent()) {
            return invites.forkResponse(state, forked.get(), branch, response);
        }
        if (response.vias().size() < 2 && !TopologyHiding.touched(response.topVia())) {
            return Effect().none(); // a response to a request the proxy sent on its own (its BYEs): it ends here
        }
        return inDialog.response(state, env, response);
    }

    /**
     * Out-of-dialog requests other than INVITE persist nothing; once the last of them is over, a Call-ID that holds
     * nothing else (a MESSAGE's, an OPTIONS's) lets its entity go at once rather than after sharding's idle timeout.
     */
    private Effect<CallEvent, CallState> afterRequest(CallState state, Runnable step) {
        step.run();
        if (requests.isEmpty()) {
            sleep.afterALook(state);
        }
        return Effect().none();
    }

    /** A registrar ask failed: asked again after a pause, or the INVITE ends with 503. */
    private Effect<CallEvent, CallState> onLookupFailed(CallState state, LookupFailed cmd) {
        Optional<ProxiedInvite> p = invites.get(cmd.key()).filter(Call::asking);
        if (p.isEmpty() || registrar.retry(cmd)) {
            return Effect().none();
        }
        return invites.feed(state, p.get(), new ProxyInput.RegistrarUnreachable());
    }

    private static boolean asking(ProxiedInvite p) {
        return p.proxy instanceof InviteProxy.Admitting || p.proxy instanceof InviteProxy.LookingUp;
    }

    /** A timer one of the transaction machines asked for; the key says which kind of transaction it is. */
    private Effect<CallEvent, CallState> onTransactionTimer(CallState state, TransactionTimer cmd) {
        return switch (cmd.kind()) {
            case SERVER -> {
                invites.serverTimer((InviteKey) cmd.key(), cmd.timer());
                yield Effect().none();
            }
            case FORK -> invites.forkTimer(state, (BranchId) cmd.key(), cmd.timer());
            case FORWARDED -> {
                Effect<CallEvent, CallState> effect = inDialog.timer(state, (ForwardedKey) cmd.key(), cmd.timer());
                if (state instanceof CallState.Ended) {
                    sleep.ifQuiet(state); // the BYE's transaction kept for its retransmissions may have been the last
                }
                yield effect;
            }
            case REQUEST, REQUEST_FORK -> afterRequest(state, () -> requests.timer(cmd.kind(), cmd.key(), cmd.timer()));
        };
    }

    // ---------------------------------------------------------------- hand-over between nodes

    /**
     * Sharding moves this entity to another node (its node leaves, or shards are rebalanced): INVITEs still ringing
     * are written down as the proxy core knows them, so the callee's answer, which sharding holds back until the
     * entity runs again, finds its transaction there. Answered calls need nothing more than their dialog.
     */
    private Effect<CallEvent, CallState> onHandOff(CallState state, HandOff cmd) {
        sleep.asleep(); // sharding holds what comes next until the entity runs again
        List<ProxiedInvite> ringing = invites.ringing();
        boolean stale = state instanceof CallState.Setup s && !s.handedOver().isEmpty();
        if (state instanceof CallState.Answered || state instanceof CallState.Ended || (ringing.isEmpty() && !stale)) {
            return Effect().stop();
        }
        log.info("call {}: handing over {} ringing INVITE(s) to the entity's next node", callId, ringing.size());
        List<HandedOverInvite> written = ringing.stream().map(p -> HandedOverInvite.of(p, context.getSystem())).toList();
        // nothing else may come for the call for a while (a lookup in flight, a device still ringing): its INVITE,
        // routed again by its transport node, wakes it on the new node, where it is taken as a retransmission
        return Effect().persist(new CallEvent.RingingHandedOver(written, settings.clock().millis()))
                .thenRun(s -> ringing.forEach(p -> p.envelope.replyTo().tell(new Redeliver(p.envelope))))
                .thenStop();
    }

    private void onRecovered(CallState state) {
        sleep.awake();
        idle.start();
        deadlines.arm(state);
        invites.forgetRefused();
        if (state instanceof CallState.Setup s && !s.handedOver().isEmpty()
                && settings.clock().millis() - s.handedOverAtMillis() < settings.inviteTimeout().toMillis()) {
            for (HandedOverInvite h : s.handedOver()) {
                h.restore(context.getSystem()).ifPresent(p -> {
                    invites.takeOver(p, h.legs());
                    context.getSelf().tell(new ResumeInvite(p.key()));
                });
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private Effect<CallEvent, CallState> reply(Envelope env, SipRequest request, int status, String reason) {
        invites.send(env, request.response(status, reason).toTag(invites.toTag()).toBytes(),
                Hops.upstream(env, request.topVia()));
        return Effect().none();
    }

    /** The transport that handled a message of this call, if it is not lost (or any: the receptionist finds one). */
    private Optional<ActorRef<TransportCommand>> lastTransport() {
        return invites.all().stream().map(p -> p.envelope.replyTo()).findFirst()
                .or(() -> inDialog.anyEnvelope().map(Envelope::replyTo))
                .or(() -> requests.anyEnvelope().map(Envelope::replyTo))
                .map(settings.transports()::orLive)
                .or(() -> settings.transports().any());
    }
}
