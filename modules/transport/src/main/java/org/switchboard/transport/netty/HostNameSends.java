package org.switchboard.transport.netty;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.HeaderNames;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.RequestBuilder;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.InboundRouter;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.dns.DeadTargets;
import org.switchboard.transport.dns.DnsSettings;
import org.switchboard.transport.dns.Failover;
import org.switchboard.transport.dns.SipResolver;
import org.switchboard.transport.dns.Target;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.NetUtil;

/**
 * Sends to destinations whose host is a name (RFC 3263): looks it up, then sends to the targets in order and fails
 * over between them (§4.3) as {@link Failover} decides. Everything here runs on the resolver's event loop: the
 * send-path actor only hands the message over, so a slow or silent DNS server delays no other message.
 *
 * <p>Responses of the transactions it tracks come here first ({@link #intercept}), to absorb a 503 from a target
 * that is not the last and to notice that a target answered.
 */
final class HostNameSends implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostNameSends.class);
    /** Beyond an INVITE's ringing (Timer C, 3 min): its CANCEL and the ACK of its final response still follow it. */
    private static final java.time.Duration KEEP = java.time.Duration.ofMinutes(4);
    private static final int MAX_TRANSACTIONS = 20_000;

    private final SipResolver resolver;
    private final DeadTargets dead;
    private final Failover failover;
    private final DnsSettings settings;
    private final Supplier<DatagramWriter> udp;
    private final Flows flows;
    private final Bootstrap connector;
    private final EdgeCounters counters;
    private final InboundRouter router;

    private final FailedRequests failures;

    HostNameSends(DnsSettings settings, boolean ipv6, Supplier<DatagramWriter> udp, Flows flows, Bootstrap connector,
                  EdgeCounters counters, InboundRouter router, FailedRequests failures) {
        this.settings = settings;
        this.resolver = new SipResolver(settings, ipv6);
        this.dead = new DeadTargets(settings.deadTargetFor());
        this.failover = new Failover(dead, KEEP, MAX_TRANSACTIONS);
        this.udp = udp;
        this.flows = flows;
        this.connector = connector;
        this.counters = counters;
        this.router = router;
        this.failures = failures;
    }

    /**
     * Whether this send needs a lookup: a host name, not TLS (refused by Outbound, never resolved), and no live
     * flow of the destination's to send on.
     */
    boolean handles(Destination d) {
        String host = d.peer().host();
        return d.transport() != SipTransport.TLS && !d.transport().isWebSocket() && !NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)
                && d.flow().flatMap(flows::byToken).isEmpty();
    }

    /** Takes the message over; returns at once. */
    void send(Send send) {
        resolver.loop().execute(() -> onLoop(send));
    }

    private void onLoop(Send send) {
        Optional<SipMessage> message = SipParser.parse(send.bytes()) instanceof ParseResult.Parsed p
                ? Optional.of(p.message()) : Optional.empty();
        if (message.isPresent() && message.get() instanceof SipRequest request) {
            Optional<Failover.Key> key = request.topViaBranch().map(b -> new Failover.Key(b, request.callId()));
            run(failover.request(key, request.method(), send.bytes(), now()), send);
        } else {
            run(List.of(new Failover.Resolve(Optional.empty())), send); // a response to a Via naming a host
        }
    }

    private void run(List<Failover.Effect> effects, Send send) {
        for (Failover.Effect effect : effects) {
            if (effect instanceof Failover.Resolve r) {
                resolve(r.key(), send);
            } else if (effect instanceof Failover.SendTo s) {
                sendTo(s);
            } else if (effect instanceof Failover.GiveUp g) {
                // the caller's transaction learns at once (a 503 from the destination), not at Timer B
                failures.failed(send, "no target of " + send.destination().peer().host() + " reachable",
                        new java.io.IOException(g.reason()));
            }
        }
    }

    private void resolve(Optional<Failover.Key> key, Send send) {
        resolver.resolve(send.destination()).addListener(f -> {
            @SuppressWarnings("unchecked")
            List<Target> found = f.isSuccess() ? (List<Target>) f.getNow() : List.of();
            List<Target> targets = dead.liveFirst(found, now());
            log.debug("{} resolved to {}", send.destination(), targets);
            if (key.isPresent()) {
                run(failover.resolved(key.get(), targets, now()), send);
            } else if (!targets.isEmpty()) {
                write(targets.get(0), send.bytes(), () -> { });
            } else {
                failures.failed(send, "no address for " + send.destination().peer().host(),
                        new java.io.IOException("no address found"));
            }
        });
    }

    private void sendTo(Failover.SendTo s) {
        write(s.target(), s.bytes(), () -> resolver.loop().execute(() ->
                moveOn(failover.sendFailed(s.key(), s.attempt(), now()), s, "cannot send to")));
        if (s.armTimer()) {
            resolver.loop().schedule(() -> moveOn(failover.timedOut(s.key(), s.attempt(), now()), s,
                    "no response within " + settings.failoverTimeout().toMillis() + " ms from"),
                    settings.failoverTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void moveOn(List<Failover.Effect> effects, Failover.SendTo failed, String why) {
        if (effects.stream().anyMatch(e -> e instanceof Failover.SendTo)) {
            log.info("{} {}: trying the next target", why, failed.target());
        }
        run(effects, sendOf(failed));
    }

    /** For log lines about an attempt: the target as the destination it stands for. */
    private static Send sendOf(Failover.SendTo s) {
        InetSocketAddress a = s.target().address();
        return new Send(s.bytes(), new Destination(s.target().transport(),
                new Peer(a.getAddress().getHostAddress(), a.getPort()), Optional.empty()));
    }

    /**
     * Called on a network thread for every response the edge accepted: true when it is one of a tracked
     * transaction, which this class then routes (or absorbs) itself, in arrival order, on its loop.
     */
    boolean intercept(Envelope envelope, SipResponse response, InetSocketAddress source) {
        Optional<String> branch = response.topViaBranch();
        if (branch.isEmpty()) {
            return false;
        }
        Failover.Key key = new Failover.Key(branch.get(), response.callId());
        if (!failover.isTracked(key)) {
            return false;
        }
        resolver.loop().execute(() -> {
            Failover.Verdict v = failover.response(key, response.status(), response.cseqMethod(), source, now());
            if (!v.absorbed()) {
                router.route(envelope, response);
                return;
            }
            log.info("{} {} from {}: trying the next target", response.status(), response.reason(), source);
            for (Failover.Effect e : v.effects()) {
                if (e instanceof Failover.AckTo ack) {
                    ackFor(ack.invite(), response).ifPresent(bytes -> write(ack.target(), bytes, () -> { }));
                }
            }
            run(v.effects().stream().filter(e -> !(e instanceof Failover.AckTo)).toList(),
                    new Send(response.bytes(), envelope.backToSender()));
        });
        return true;
    }

    /** RFC 3261 §17.1.1.3: the INVITE's Request-URI, top Via, Route set, From, Call-ID, CSeq number; the 503's To. */
    static Optional<byte[]> ackFor(byte[] invite, SipResponse response) {
        if (!(SipParser.parse(invite) instanceof ParseResult.Parsed p) || !(p.message() instanceof SipRequest request)) {
            return Optional.empty();
        }
        RequestBuilder ack = new RequestBuilder("ACK", request.requestUriText())
                .header("Via", request.headers(HeaderNames.VIA).get(0));
        request.headers(HeaderNames.ROUTE).forEach(r -> ack.header("Route", r));
        return Optional.of(ack.header("Max-Forwards", "70")
                .header("From", request.header(HeaderNames.FROM).orElseThrow())
                .header("To", response.header(HeaderNames.TO).orElseThrow())
                .header("Call-ID", request.callId())
                .header("CSeq", request.cseq().number() + " ACK")
                .toBytes());
    }

    /** Writes to one resolved target; {@code onFailure} when it cannot be sent (refused, unreachable). */
    private void write(Target target, byte[] bytes, Runnable onFailure) {
        InetSocketAddress to = target.address();
        ChannelFutureListener outcome = f -> {
            if (!f.isSuccess()) {
                counters.sendFailures.increment();
                log.info("send to {} failed: {}", target, f.cause().toString());
                onFailure.run();
            }
        };
        if (target.transport() == SipTransport.UDP) {
            udp.get().send(bytes, to, cause -> {
                counters.sendFailures.increment();
                log.info("send to {} failed: {}", target, cause.toString());
                onFailure.run();
            });
            return;
        }
        Optional<Channel> existing = flows.byRemote(new Peer(to.getAddress().getHostAddress(), to.getPort()).toString());
        if (existing.isPresent()) {
            Writes.stream(existing.get(), bytes, counters, outcome);
            return;
        }
        connector.connect(to).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                Writes.stream(f.channel(), bytes, counters, outcome);
            } else {
                outcome.operationComplete(f);
            }
        });
    }

    private static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    @Override
    public void close() {
        resolver.close();
    }
}
