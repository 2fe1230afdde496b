package org.switchboard.registrar;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.registrar.api.HandleRegister;
import org.switchboard.registrar.api.Lookup;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.registrar.api.ProvisionAccount;
import org.switchboard.registrar.api.RegistrationCommand;
import org.switchboard.registrar.api.RegistrationEntity;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Send;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;

/**
 * One address-of-record: its account (HA1 digests) and its contact bindings, event-sourced and sharded by the
 * normalised AOR.
 *
 * <p>Durability: every added, refreshed or removed binding is persisted before the 200 OK leaves. Expired
 * bindings are removed (with an event) at the next REGISTER and never returned by a lookup.
 *
 * <p>Retransmissions of a REGISTER (same branch and CSeq) get the same response again without new events.
 */
public final class Registration
        extends EventSourcedBehaviorWithEnforcedReplies<RegistrationCommand, RegistrationEvent, RegistrationState> {
    private static final Logger log = LoggerFactory.getLogger(Registration.class);

    private final String aor;
    private final RegistrarSettings settings;
    private final RegisterHandler handler;
    /** In memory only: the last request handled and its answer, to absorb retransmissions. */
    private String lastRequestKey = "";
    private byte[] lastResponse = new byte[0];

    private Registration(String aor, RegistrarSettings settings) {
        super(PersistenceId.of(RegistrationEntity.KEY.name(), aor));
        this.aor = aor;
        this.settings = settings;
        this.handler = new RegisterHandler(settings);
    }

    public static void init(ActorSystem<?> system, RegistrarSettings settings, String coreRole) {
        ClusterSharding.get(system).init(Entity.of(RegistrationEntity.KEY, ctx -> create(ctx.getEntityId(), settings))
                .withRole(coreRole));
    }

    public static Behavior<RegistrationCommand> create(String aor, RegistrarSettings settings) {
        return Behaviors.setup(ctx -> new Registration(aor, settings));
    }

    @Override
    public RegistrationState emptyState() {
        return new RegistrationState.Unprovisioned();
    }

    @Override
    public CommandHandlerWithReply<RegistrationCommand, RegistrationEvent, RegistrationState> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(HandleRegister.class, this::onRegister)
                .onCommand(Lookup.class, this::onLookup)
                .onCommand(ProvisionAccount.class, this::onProvision)
                .build();
    }

    private ReplyEffect<RegistrationEvent, RegistrationState> onRegister(RegistrationState state, HandleRegister cmd) {
        Envelope env = cmd.envelope();
        ParseResult parsed = SipParser.parse(env.bytes());
        if (!(parsed instanceof ParseResult.Parsed p) || !(p.message() instanceof SipRequest request)) {
            log.warn("REGISTER for {} that does not parse reached the entity; dropped", aor);
            return Effect().noReply();
        }
        String requestKey = request.topVia().branch().orElse("") + "/" + request.header("cseq").orElse("");
        if (requestKey.equals(lastRequestKey)) {
            return Effect().reply(env.replyTo(), new Send(lastResponse, env.backToSender()));
        }
        long now = settings.clock().millis();
        RegisterOutcome outcome = state instanceof RegistrationState.Provisioned provisioned
                ? handler.handle(provisioned, request, env, now)
                : RegisterOutcome.reply(RegisterHandler.response(request, 404, "Not Found").toBytes());
        lastRequestKey = requestKey;
        lastResponse = outcome.response();
        Send send = new Send(outcome.response(), env.backToSender());
        if (outcome.events().isEmpty()) {
            return Effect().reply(env.replyTo(), send);
        }
        return Effect().persist(outcome.events()).thenReply(env.replyTo(), s -> send);
    }

    private ReplyEffect<RegistrationEvent, RegistrationState> onLookup(RegistrationState state, Lookup cmd) {
        if (!(state instanceof RegistrationState.Provisioned p)) {
            return Effect().reply(cmd.replyTo(), new LookupResult(LookupResult.Status.UNKNOWN, java.util.List.of()));
        }
        var live = p.liveBindings(settings.clock().millis());
        return Effect().reply(cmd.replyTo(), new LookupResult(
                live.isEmpty() ? LookupResult.Status.NOT_REGISTERED : LookupResult.Status.REGISTERED, live));
    }

    private ReplyEffect<RegistrationEvent, RegistrationState> onProvision(RegistrationState state, ProvisionAccount cmd) {
        Account account = new Account(cmd.username(), cmd.realm(), cmd.ha1Md5(), cmd.ha1Sha256());
        if (state instanceof RegistrationState.Provisioned p && p.account().equals(account)) {
            return Effect().reply(cmd.replyTo(), Done.getInstance());
        }
        return Effect().persist(new RegistrationEvent.AccountProvisioned(account))
                .thenReply(cmd.replyTo(), s -> Done.getInstance());
    }

    @Override
    public EventHandler<RegistrationState, RegistrationEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(RegistrationState::apply);
    }
}
