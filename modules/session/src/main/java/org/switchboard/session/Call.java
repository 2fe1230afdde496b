package org.switchboard.session;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.registrar.api.Lookup;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.registrar.api.RegistrationEntity;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.api.CallEntity;
import org.switchboard.session.api.HandleSip;
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
import org.switchboard.transport.api.Send;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.actor.typed.SupervisorStrategy;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * Every transaction and dialog of one Call-ID: a record-routing, transaction-stateful proxy (RFC 3261 §16).
 *
 * <p>Persisted: the call answered (its dialog) and ended. In memory only: the INVITE server transaction and the
 * forwarded requests' client transactions; after a failover they are gone, and responses are then routed by
 * their Via alone, in-dialog requests by their Route alone, so an answered call is still ended cleanly.
 */
public final class Call extends EventSourcedBehavior<CallCommand, CallEvent, CallState> {
    private static final Logger log = LoggerFactory.getLogger(Call.class);

    /** The registrar answered (or not) for the INVITE server transaction {@code serverKey}. */
    record CalleeFound(String serverKey, LookupResult result) implements CallCommand {
    }

    record LookupFailed(String serverKey, String reason) implements CallCommand {
    }

    private final ActorContext<CallCommand> context;
    private final String callId;
    private final SessionSettings settings;
    private final Map<String, ServerInvite> serverInvites = new HashMap<>();
    private final Map<String, ClientTransaction> clientTransactions = new HashMap<>();

    private Call(ActorContext<CallCommand> context, String callId, SessionSettings settings) {
        // a failed persist restarts the entity; the unanswered peer retransmits and the next try persists
        super(PersistenceId.of(CallEntity.KEY.name(), callId),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.context = context;
        this.callId = callId;
        this.settings = settings;
    }

    public static void init(ActorSystem<?> system, SessionSettings settings, String coreRole) {
        ClusterSharding.get(system).init(Entity.of(CallEntity.KEY, ctx -> create(ctx.getEntityId(), settings))
                .withRole(coreRole));
    }

    public static Behavior<CallCommand> create(String callId, SessionSettings settings) {
        return Behaviors.setup(ctx -> new Call(ctx, callId, settings));
    }

    @Override
    public CallState emptyState() {
        return new CallState.Setup();
    }

    @Override
    public CommandHandler<CallCommand, CallEvent, CallState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(HandleSip.class, this::onSip)
                .onCommand(CalleeFound.class, this::onCalleeFound)
                .onCommand(LookupFailed.class, (state, cmd) -> {
                    log.warn("registrar lookup for call {} failed: {}", callId, cmd.reason());
                    return answerInvite(cmd.serverKey(), 503, "Service Unavailable", Optional.of("Retry-After: 5"));
                })
                .build();
    }

    @Override
    public EventHandler<CallState, CallEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(CallState::apply);
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
                case "ACK" -> onAck(env, request);
                case "CANCEL" -> onCancel(env, request);
                default -> request.to().tag().isPresent() ? forwardInDialog(env, request, true)
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
        String key = top.branch().orElse("") + "|" + top.sentBy();
        ServerInvite existing = serverInvites.get(key);
        if (existing != null) {
            existing.lastResponse().ifPresent(r -> send(env, r, existing.upstream()));
            return Effect().none();
        }
        Destination upstream = Hops.upstream(env, top);
        byte[] trying = invite.response(100, "Trying").toBytes();
        serverInvites.put(key, new ServerInvite(env, invite, upstream, Optional.of(trying), Optional.empty(), 0, false));
        send(env, trying, upstream);
        String aor = invite.requestUri().addressOfRecord();
        context.ask(LookupResult.class,
                ClusterSharding.get(context.getSystem()).entityRefFor(RegistrationEntity.KEY, aor),
                settings.lookupTimeout(), Lookup::new,
                (result, failure) -> result != null ? new CalleeFound(key, result)
                        : new LookupFailed(key, String.valueOf(failure)));
        return Effect().none();
    }

    private Effect<CallEvent, CallState> onCalleeFound(CallState state, CalleeFound cmd) {
        ServerInvite server = serverInvites.get(cmd.serverKey());
        if (server == null || server.finalSent() || server.cancelled()) {
            return Effect().none();
        }
        LookupResult result = cmd.result();
        if (result.status() == LookupResult.Status.UNKNOWN) {
            return answerInvite(cmd.serverKey(), 404, "Not Found", Optional.empty());
        }
        if (result.status() != LookupResult.Status.REGISTERED) {
            return answerInvite(cmd.serverKey(), 480, "Temporarily Unavailable", Optional.empty());
        }
        ContactBinding target = result.bindings().get(0);
        SipRequest invite = server.request();
        SipUri contact = SipUri.parse(target.contact());
        Destination downstream = target.flow().isPresent() && target.transport().isStream()
                ? new Destination(target.transport(), target.source(), target.flow())
                : Hops.downstream(contact);
        String branch = settings.branches().derive(callId + "|" + cmd.serverKey() + "|0");
        MessageEditor edit = invite.edit();
        popOwnRoute(invite, edit);
        ProxyMessages.decrementMaxForwards(invite, edit)
                .requestUri(target.contact())
                .prepend("Via", settings.via(downstream.transport().name(), branch))
                .prepend("Record-Route", settings.recordRoute());
        SipRequest forwarded = (SipRequest) edit.build();
        clientTransactions.put(branch + "|INVITE", new ClientTransaction(Optional.of(cmd.serverKey()),
                server.envelope(), server.upstream(), forwarded, downstream));
        serverInvites.put(cmd.serverKey(), server.forwardedOn(branch));
        send(server.envelope(), forwarded.bytes(), downstream);
        return Effect().none();
    }

    /** A final response of the proxy's own to the INVITE (no target, lookup failed, cancelled before forking). */
    private Effect<CallEvent, CallState> answerInvite(String serverKey, int status, String reason, Optional<String> header) {
        ServerInvite server = serverInvites.get(serverKey);
        if (server == null || server.finalSent()) {
            return Effect().none();
        }
        var builder = server.request().response(status, reason).toTag(settings.branches().derive(callId).substring(9, 21));
        header.ifPresent(h -> builder.header(h.substring(0, h.indexOf(':')), h.substring(h.indexOf(':') + 1).trim()));
        byte[] response = builder.toBytes();
        serverInvites.put(serverKey, server.withResponse(response, status));
        send(server.envelope(), response, server.upstream());
        return Effect().none();
    }

    // ---------------------------------------------------------------- responses

    private Effect<CallEvent, CallState> onResponse(CallState state, Envelope env, SipResponse response) {
        List<Via> vias = response.vias();
        if (vias.size() < 2) {
            return Effect().none(); // a response to a request we originated (none yet) or garbage
        }
        String method = response.cseq().method();
        String branch = vias.get(0).branch().orElse("");
        ClientTransaction tx = clientTransactions.get(branch + "|" + method);
        Destination upstream = tx != null ? tx.upstream() : Hops.upstream(vias.get(1));
        Envelope via = tx != null ? tx.upstreamEnvelope() : env;
        byte[] relayed = ProxyMessages.popVia(response);
        int status = response.status();

        if (method.equals("CANCEL")) {
            return Effect().none(); // the 200 to our own CANCEL ends there (§16.10)
        }
        if (method.equals("INVITE")) {
            if (status == 100) {
                return Effect().none();
            }
            Optional<String> serverKey = tx == null ? Optional.empty() : tx.serverKey();
            ServerInvite server = serverKey.map(serverInvites::get).orElse(null);
            if (status >= 300) {
                if (tx != null) {
                    send(env, ProxyMessages.ackFor(tx.forwarded(), response), tx.downstream());
                }
                if (server != null && server.finalSent()) {
                    return Effect().none(); // a retransmission: acknowledged again, already relayed
                }
            }
            if (server != null) {
                serverInvites.put(serverKey.get(), server.withResponse(relayed, status));
            }
            if (status >= 200 && status < 300 && !(state instanceof CallState.Answered)
                    && !(state instanceof CallState.Ended)) {
                CallEvent answered = new CallEvent.CallAnswered(dialogOf(response, server), settings.clock().millis());
                return Effect().persist(answered).thenRun(s -> send(via, relayed, upstream));
            }
            send(via, relayed, upstream);
            return Effect().none();
        }
        if (method.equals("BYE") && status >= 200 && !(state instanceof CallState.Ended)) {
            clientTransactions.remove(branch + "|" + method);
            CallEvent ended = new CallEvent.CallEnded("BYE " + status, settings.clock().millis());
            return Effect().persist(ended).thenRun(s -> send(via, relayed, upstream));
        }
        if (status >= 200) {
            clientTransactions.remove(branch + "|" + method);
        }
        send(via, relayed, upstream);
        return Effect().none();
    }

    private Dialog dialogOf(SipResponse ok, ServerInvite server) {
        NameAddress from = ok.from();
        NameAddress to = ok.to();
        String callerContact = server == null ? "" : server.request().contacts().stream().findFirst()
                .map(c -> c.uri().toString()).orElse("");
        String calleeContact = ok.contacts().stream().findFirst().map(c -> c.uri().toString()).orElse("");
        return new Dialog(callId, from.tag().orElse(""), to.tag().orElse(""), from.uri().toString(),
                to.uri().toString(), callerContact, calleeContact);
    }

    // ---------------------------------------------------------------- ACK, CANCEL, in-dialog

    private Effect<CallEvent, CallState> onAck(Envelope env, SipRequest ack) {
        Via top = ack.topVia();
        ServerInvite server = serverInvites.get(top.branch().orElse("") + "|" + top.sentBy());
        if (server != null && server.finalStatus() >= 300) {
            return Effect().none(); // the ACK of a non-2xx final response is hop by hop: it ends here (§17.2.1)
        }
        return forwardInDialog(env, ack, false);
    }

    private Effect<CallEvent, CallState> onCancel(Envelope env, SipRequest cancel) {
        Via top = cancel.topVia();
        String key = top.branch().orElse("") + "|" + top.sentBy();
        ServerInvite server = serverInvites.get(key);
        if (server == null) {
            return reply(env, cancel, 481, "Call/Transaction Does Not Exist");
        }
        send(env, cancel.response(200, "OK").toBytes(), Hops.upstream(env, top));
        if (server.finalSent() || server.cancelled()) {
            return Effect().none();
        }
        serverInvites.put(key, server.cancel());
        if (server.forwardedBranch().isEmpty()) {
            return answerInvite(key, 487, "Request Terminated", Optional.empty());
        }
        ClientTransaction tx = clientTransactions.get(server.forwardedBranch().get() + "|INVITE");
        if (tx != null) {
            send(env, ProxyMessages.cancelFor(tx.forwarded()), tx.downstream());
        }
        return Effect().none();
    }

    /**
     * Loose routing of a request inside a dialog (§16.4, §16.6): pop our Route, push our Via, decrement
     * Max-Forwards, send to the next Route or the Request-URI. The branch is derived from the upstream branch, so
     * a retransmission leaves with the same branch.
     */
    private Effect<CallEvent, CallState> forwardInDialog(Envelope env, SipRequest request, boolean stateful) {
        List<NameAddress> routes = request.routes();
        boolean routedToUs = !routes.isEmpty() && settings.isUs(routes.get(0).uri());
        List<NameAddress> remaining = routedToUs ? routes.subList(1, routes.size()) : routes;
        SipUri target = remaining.isEmpty() ? request.requestUri() : remaining.get(0).uri();
        if (settings.isUs(target) || (!routedToUs && routes.isEmpty() && target.user().isEmpty())) {
            return request.method().equals("ACK") ? Effect().none()
                    : reply(env, request, 481, "Call/Transaction Does Not Exist");
        }
        java.util.OptionalInt maxForwards = request.maxForwards();
        if (maxForwards.isPresent() && maxForwards.getAsInt() <= 0) {
            return request.method().equals("ACK") ? Effect().none() : reply(env, request, 483, "Too Many Hops");
        }
        Via top = request.topVia();
        Destination downstream = Hops.downstream(target);
        String branch = settings.branches().derive(callId + "|" + top.branch().orElse("") + "|" + request.method());
        MessageEditor edit = request.edit();
        popOwnRoute(request, edit);
        ProxyMessages.decrementMaxForwards(request, edit)
                .prepend("Via", settings.via(downstream.transport().name(), branch));
        SipRequest forwarded = (SipRequest) edit.build();
        if (stateful) {
            clientTransactions.put(branch + "|" + request.method(), new ClientTransaction(Optional.empty(), env,
                    Hops.upstream(env, top), forwarded, downstream));
        }
        send(env, forwarded.bytes(), downstream);
        return Effect().none();
    }

    private void popOwnRoute(SipRequest request, MessageEditor edit) {
        List<NameAddress> routes = request.routes();
        if (!routes.isEmpty() && settings.isUs(routes.get(0).uri())) {
            edit.removeFirstValue(HeaderNames.ROUTE);
        }
    }

    private Effect<CallEvent, CallState> reply(Envelope env, SipRequest request, int status, String reason) {
        byte[] response = request.response(status, reason).toTag(settings.branches().derive(callId).substring(9, 21)).toBytes();
        send(env, response, Hops.upstream(env, request.topVia()));
        return Effect().none();
    }

    private static void send(Envelope via, byte[] bytes, Destination destination) {
        via.replyTo().tell(new Send(bytes, destination));
    }
}
