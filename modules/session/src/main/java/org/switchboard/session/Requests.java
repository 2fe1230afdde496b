package org.switchboard.session;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.switchboard.registrar.api.CredentialsVerdict;
import org.switchboard.registrar.api.GruuTarget;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.session.TransactionDriver.Kind;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.proxy.BranchId;
import org.switchboard.session.proxy.Final;
import org.switchboard.session.proxy.ForkTarget;
import org.switchboard.session.proxy.ProxyAction;
import org.switchboard.session.proxy.ProxyInput;
import org.switchboard.session.proxy.ProxyRules;
import org.switchboard.session.proxy.RequestKey;
import org.switchboard.session.proxy.RequestProxy;
import org.switchboard.sip.HeaderName;
import org.switchboard.sip.MessageEditor;
import org.switchboard.sip.Method;
import org.switchboard.sip.ResponseBuilder;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.transaction.Action;
import org.switchboard.sip.transaction.NonInviteClientTransaction;
import org.switchboard.sip.transaction.NonInviteServerTransaction;
import org.switchboard.sip.transaction.TimerName;
import org.switchboard.sip.transaction.TransactionEvent;
import org.switchboard.sip.transaction.Transition;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;

/**
 * The executor of {@link RequestProxy} for every out-of-dialog request of a Call-ID other than INVITE, ACK and
 * CANCEL: a non-INVITE server transaction toward the sender (§17.2.2: retransmissions get the final response
 * again), one non-INVITE client transaction per fork (§17.1.2: Timer E, F, K), the registrar's answers, and the
 * Record-Route that makes a SUBSCRIBE's (or an out-of-dialog REFER's) dialog come through us. Nothing is
 * persisted: a MESSAGE or OPTIONS lives for one transaction, and a subscription's in-dialog requests are routed
 * by that Record-Route's token, which every node verifies (see {@link Subscriptions}).
 */
final class Requests {
    /** The registrar judged the sender of a request. */
    record SenderChecked(RequestKey key, CredentialsVerdict verdict) implements CallCommand {
    }

    /** The registrar's bindings for the user a request is for. */
    record TargetsFound(RequestKey key, LookupResult result) implements CallCommand {
    }

    /** An ask to the registrar for a request failed: the request ends with 503 (its sender may try again). */
    record RequestAskFailed(RequestKey key, String reason) implements CallCommand {
    }

    private static final class Server {
        final Envelope envelope;
        final SipRequest request;
        NonInviteServerTransaction machine;
        RequestProxy proxy;
        Optional<byte[]> lastResponse = Optional.empty();

        Server(Envelope envelope, SipRequest request, NonInviteServerTransaction machine) {
            this.envelope = envelope;
            this.request = request;
            this.machine = machine;
        }

        RequestKey key() {
            return RequestKey.of(request.topVia(), request.method());
        }
    }

    /** One fork: its client transaction, and the send path of the transport node the request came through. */
    private record Leg(RequestKey request, Envelope upstream, SipRequest forwarded, Destination downstream,
                       NonInviteClientTransaction machine) {
        Leg next(NonInviteClientTransaction m) {
            return new Leg(request, upstream, forwarded, downstream, m);
        }
    }

    private final String callId;
    private final SessionSettings settings;
    private final ProxyRules rules;
    private final TransactionDriver driver;
    private final RegistrarAsks registrar;
    private final InDialogRouter router;
    private final Subscriptions subscriptions;
    private final TopologyHiding hiding;
    private final Map<RequestKey, Server> servers = new HashMap<>();
    private final Map<BranchId, Leg> legs = new HashMap<>();

    Requests(String callId, SessionSettings settings, TransactionDriver driver, RegistrarAsks registrar,
             Subscriptions subscriptions, TopologyHiding hiding) {
        this.callId = callId;
        this.settings = settings;
        this.rules = settings.proxyRules(callId);
        this.driver = driver;
        this.registrar = registrar;
        this.router = new InDialogRouter(settings, callId);
        this.subscriptions = subscriptions;
        this.hiding = hiding;
    }

    boolean isEmpty() {
        return servers.isEmpty() && legs.isEmpty();
    }

    Optional<Envelope> anyEnvelope() {
        return servers.values().stream().map(s -> s.envelope).findFirst();
    }

    boolean ownsFork(BranchId branch) {
        return legs.containsKey(branch);
    }

    /** A new out-of-dialog request, or a retransmission of one (absorbed by its server transaction). */
    void initial(Envelope env, SipRequest request) {
        RequestKey key = RequestKey.of(request.topVia(), request.method());
        Instant now = driver.now();
        Server existing = servers.get(key);
        if (existing != null) {
            serverStep(existing, existing.machine.on(new TransactionEvent.RequestRetransmitted(), now), now);
            return;
        }
        if (request.methodType().equals(Method.REGISTER)) {
            reply(env, request, request.response(403, "Forbidden - not a domain of this registrar"));
            return;
        }
        if (ProxyMessages.isLoop(request, settings.branches())) {
            reply(env, request, request.response(482, "Loop Detected"));
            return;
        }
        if (settings.overload().refuses(request.callId())) {
            reply(env, request, request.response(503, "Service Unavailable - overloaded")
                    .header(HeaderName.RETRY_AFTER, Integer.toString(settings.overload().retryAfterSeconds())));
            return;
        }
        Transition<NonInviteServerTransaction> started = NonInviteServerTransaction.start(driver.values(),
                TransactionDriver.reliable(env.backToSender()), now);
        Server s = new Server(env, request, started.next());
        servers.put(key, s);
        driver.run(Kind.REQUEST, key, started.actions(), now);
        String ip = env.remote().host();
        RequestProxy.Request facts = new RequestProxy.Request(key, request.requestUriText(),
                request.header(HeaderName.FROM).orElse(""), settings.trusted(ip), eventRoute(request));
        perform(s, RequestProxy.start(facts, rules));
    }

    void senderChecked(SenderChecked cmd) {
        find(cmd.key()).ifPresent(s -> perform(s, s.proxy.judged(new ProxyInput.CallerJudged(cmd.verdict()), rules)));
    }

    void targetsFound(TargetsFound cmd) {
        find(cmd.key()).ifPresent(s -> {
            Optional<GruuTarget> gruu = s.proxy instanceof RequestProxy.LookingUp l ? l.gruu() : Optional.empty();
            ProxyInput.CalleeFound found = (ProxyInput.CalleeFound) Invites.calleeFound(cmd.result(), Optional.empty(), 0, gruu);
            perform(s, s.proxy.found(found.status(), found.groups(), rules));
        });
    }

    void askFailed(RequestAskFailed cmd) {
        find(cmd.key()).ifPresent(s -> perform(s, s.proxy.unreachable()));
    }

    /** A response from one of our forks: its client transaction first, then the proxy core for a final one. */
    void forkResponse(BranchId branch, SipResponse response) {
        Leg leg = legs.get(branch);
        Instant now = driver.now();
        List<Action> actions = clientStep(branch, leg, leg.machine().on(new TransactionEvent.ResponseReceived(response.status()), now), now);
        boolean passed = actions.stream().anyMatch(Action.PassToTu.class::isInstance);
        if (passed && response.status() >= 200) {
            find(leg.request()).ifPresent(s -> {
                if (response.isSuccess() && response.cseq().methodType().isOneOf(Method.SUBSCRIBE, Method.REFER)) {
                    subscriptions.started(s.request, response, settings.clock().millis());
                }
                perform(s, s.proxy.finalFrom(branch, Final.of(response)));
            });
        }
    }

    void timer(Kind kind, Object key, TimerName timer) {
        Instant now = driver.now();
        if (kind == Kind.REQUEST) {
            Server s = servers.get((RequestKey) key);
            if (s != null) {
                serverStep(s, s.machine.on(new TransactionEvent.TimerFired(timer), now), now);
            }
            return;
        }
        BranchId branch = (BranchId) key;
        Leg leg = legs.get(branch);
        if (leg == null) {
            return;
        }
        List<Action> actions = clientStep(branch, leg, leg.machine().on(new TransactionEvent.TimerFired(timer), now), now);
        if (actions.stream().anyMatch(Action.NotifyTuTimeout.class::isInstance)) {
            SipResponse timeout = leg.forwarded().response(408, "Request Timeout").build();
            find(leg.request()).ifPresent(s -> perform(s, s.proxy.finalFrom(branch, Final.of(timeout))));
        }
    }

    private Optional<Server> find(RequestKey key) {
        return Optional.ofNullable(servers.get(key));
    }

    private void perform(Server s, RequestProxy.Next next) {
        s.proxy = next.phase();
        for (ProxyAction action : next.actions()) {
            if (action instanceof ProxyAction.CheckCaller) {
                registrar.checkSender(s.key(), s.request, s.envelope);
            } else if (action instanceof ProxyAction.LookUp l) {
                registrar.lookupFor(s.key(), l.aor());
            } else if (action instanceof ProxyAction.StartFork f) {
                startFork(s, f.id(), f.target());
            } else if (action instanceof ProxyAction.RelayFinal f) {
                SipResponse response = Invites.parse(f.response());
                // our Via off, and what topology hiding sealed into it toward a trunk put back
                hiding.up(response).ifPresent(up -> respond(s, up.bytes(), response.status()));
            } else if (action instanceof ProxyAction.Reject r) {
                ResponseBuilder builder = s.request.response(r.status(), r.reason()).toTag(toTag());
                r.headers().forEach(h -> builder.header(h[0], h[1]));
                respond(s, builder.toBytes(), r.status());
            } else if (action instanceof ProxyAction.Challenge c) {
                ResponseBuilder builder = s.request.response(407, "Proxy Authentication Required").toTag(toTag());
                c.challenges().forEach(v -> builder.header(HeaderName.PROXY_AUTHENTICATE, v));
                respond(s, builder.toBytes(), 407);
            }
        }
    }

    /** Sends a final response through the server transaction, which keeps it for the sender's retransmissions. */
    private void respond(Server s, byte[] bytes, int status) {
        s.lastResponse = Optional.of(bytes);
        Instant now = driver.now();
        serverStep(s, s.machine.on(new TransactionEvent.TuResponse(status), now), now);
    }

    private void serverStep(Server s, Transition<NonInviteServerTransaction> t, Instant now) {
        s.machine = t.next();
        for (Action action : driver.run(Kind.REQUEST, s.key(), t.actions(), now)) {
            if (action instanceof Action.SendResponse || action instanceof Action.ResendLastResponse) {
                s.lastResponse.ifPresent(bytes -> driver.send(s.envelope, bytes, Hops.upstream(s.envelope, s.request.topVia())));
            } else if (action instanceof Action.Terminate) {
                servers.remove(s.key());
            }
        }
    }

    private List<Action> clientStep(BranchId branch, Leg leg, Transition<NonInviteClientTransaction> t, Instant now) {
        Leg moved = leg.next(t.next());
        legs.put(branch, moved);
        List<Action> actions = driver.run(Kind.REQUEST_FORK, branch, t.actions(), now);
        for (Action action : actions) {
            if (action instanceof Action.SendRequest) {
                driver.send(moved.upstream(), moved.forwarded().bytes(), moved.downstream());
            } else if (action instanceof Action.Terminate) {
                legs.remove(branch);
            }
        }
        return actions;
    }

    /** §16.6: a copy of the request for one target, our Via on top; a dialog-creating one is record-routed. */
    private void startFork(Server s, BranchId id, ForkTarget target) {
        Destination downstream = ForkCopies.downstream(target);
        SipRequest request = s.request;
        MessageEditor edit = ForkCopies.copy(request, s.envelope, target, id, downstream, router, settings);
        if (request.methodType().isOneOf(Method.SUBSCRIBE, Method.REFER)) {
            settings.recordRoutes(s.envelope.local(), s.envelope.transport(), downstream.transport(), callId,
                    request.from().tag().orElse("")).forEach(rr -> edit.prepend(HeaderName.RECORD_ROUTE, rr));
        }
        ForkCopies.prependPath(edit, target);
        SipRequest forwarded = (SipRequest) edit.build();
        if (hiding.enabled() && target.outbound().isPresent() && s.request.methodType().isOneOf(Method.MESSAGE, Method.OPTIONS)) {
            // toward a trunk it sees our Via alone and no Contact of the sender's; the response restores the rest
            forwarded = hiding.hide(forwarded);
        }
        Instant now = driver.now();
        Transition<NonInviteClientTransaction> t = NonInviteClientTransaction.start(driver.values(),
                TransactionDriver.reliable(downstream), now);
        Leg leg = new Leg(s.key(), s.envelope, forwarded, downstream, t.next());
        legs.put(id, leg);
        clientStep(id, leg, t, now);
    }

    /** The configured route for the request's event package ({@code routes { "event:presence" = ... }}), if any. */
    private Optional<String> eventRoute(SipRequest request) {
        if (!request.methodType().isOneOf(Method.SUBSCRIBE, Method.PUBLISH)) {
            return Optional.empty();
        }
        return request.header(HeaderName.EVENT).map(Requests::eventPackage)
                .flatMap(pkg -> Optional.ofNullable(settings.routes().get("event:" + pkg)));
    }

    /** RFC 6665 §8.2.1: the package name is the Event value up to its parameters; case-insensitive tokens. */
    static String eventPackage(String eventHeader) {
        int semi = eventHeader.indexOf(';');
        return (semi < 0 ? eventHeader : eventHeader.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
    }

    private void reply(Envelope env, SipRequest request, ResponseBuilder response) {
        driver.send(env, response.toTag(toTag()).toBytes(), Hops.upstream(env, request.topVia()));
    }

    private String toTag() {
        return settings.branches().derive(callId, "to-tag").substring(9, 21);
    }
}
