package org.switchboard.transport.netty;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.SipResponse;
import org.switchboard.transport.Edge;
import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.EdgeDecision;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.InboundRouter;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.api.TransportCommand;
import org.switchboard.transport.hep.SipCapture;
import org.switchboard.transport.security.EdgeGuard;

import akka.actor.typed.ActorRef;
import io.netty.channel.Channel;

/** The common path of a datagram or framed stream message: edge checks, then a stateless answer or the cluster. */
final class Inbound {
    private static final Logger log = LoggerFactory.getLogger(Inbound.class);

    /** How a stateless answer is written back to the sender on the transport the message came on. */
    interface Replier {
        void reply(byte[] response);
    }

    private final Edge edge;
    private final EdgeGuard guard;
    private final InboundRouter router;
    private final EdgeCounters counters;
    private final Optional<SipCapture> capture;
    private volatile ActorRef<TransportCommand> sendPath;
    /** Where responses of requests sent to host names go first (RFC 3263 failover); none until bound. */
    private volatile Optional<HostNameSends> hostNames = Optional.empty();

    /** @param capture sees each message received from an admitted source, before it is parsed */
    Inbound(Edge edge, EdgeGuard guard, InboundRouter router, EdgeCounters counters, Optional<SipCapture> capture) {
        this.edge = edge;
        this.capture = capture;
        this.guard = guard;
        this.router = router;
        this.counters = counters;
    }

    /**
     * Whether a message from this source may be looked at at all (banned: no; over its rate: no), counted. Asked
     * before the message is copied or parsed.
     */
    boolean admit(InetAddress source) {
        return verdict(source) == EdgeGuard.Verdict.ADMIT;
    }

    /** As {@link #admit(InetAddress)}, knowing the source port too (a datagram): the node's own sockets pass. */
    boolean admit(InetSocketAddress source) {
        return counted(guard.check(source)) == EdgeGuard.Verdict.ADMIT;
    }

    EdgeGuard.Verdict verdict(InetAddress source) {
        return counted(guard.check(source));
    }

    private EdgeGuard.Verdict counted(EdgeGuard.Verdict v) {
        if (v != EdgeGuard.Verdict.ADMIT) {
            (v == EdgeGuard.Verdict.BANNED ? counters.banned : counters.rateLimited).increment();
        }
        return v;
    }

    EdgeGuard guard() {
        return guard;
    }

    void sendPath(ActorRef<TransportCommand> ref) {
        this.sendPath = ref;
    }

    void hostNames(HostNameSends sends) {
        this.hostNames = Optional.of(sends);
    }

    EdgeCounters counters() {
        return counters;
    }

    /**
     * SIP capture of a received message, as framed (a datagram, a message cut from a stream, a WebSocket message):
     * {@code local} is the socket it really arrived on.
     */
    void captured(byte[] data, SipTransport transport, InetSocketAddress remote, InetSocketAddress local) {
        if (capture.isPresent()) {
            capture.get().capture(data, transport, remote, local);
        }
    }

    void handle(byte[] data, SipTransport transport, InetSocketAddress remote, InetSocketAddress local,
                Optional<String> flow, Replier replier) {
        counters.received.increment();
        Peer from = peer(remote);
        EdgeDecision decision = edge.inspect(data, 0, data.length, from);
        if (decision instanceof EdgeDecision.Reply r) {
            counters.answeredStateless.increment();
            replier.reply(r.response());
        } else if (decision instanceof EdgeDecision.Drop d) {
            (d.foreignResponse() ? counters.foreignResponsesDropped : counters.malformedDropped).increment();
            log.debug("dropped from {}: {}", from, d.reason());
        } else {
            EdgeDecision.Route route = (EdgeDecision.Route) decision;
            counters.routed.increment();
            Envelope envelope = new Envelope(route.message().bytes(), transport, from, peer(local), flow, sendPath);
            if (route.message() instanceof SipResponse response
                    && hostNames.map(h -> h.intercept(envelope, response, remote)).orElse(false)) {
                return; // routed (or absorbed) by the failover, in order, on its own loop
            }
            router.route(envelope, route.message());
        }
    }

    /**
     * A message framed on a stream connection (TCP or WebSocket): its source is checked again (a ban may have come
     * since the connection opened), then it takes the common path, stateless answers going back on the connection.
     * False when the source is banned and the connection was closed.
     */
    boolean handleOnConnection(Channel channel, byte[] message, SipTransport transport, InetSocketAddress remote,
                               InetSocketAddress local, Optional<String> flow) {
        EdgeGuard.Verdict v = verdict(remote.getAddress());
        if (v == EdgeGuard.Verdict.BANNED) {
            channel.close();
            return false;
        }
        if (v == EdgeGuard.Verdict.ADMIT) {
            // a WebSocket message is handed on as if it came to the SIP port; capture tells where it really came
            if (channel.localAddress() instanceof InetSocketAddress socket) { // null once the connection is gone
                captured(message, transport, remote, socket);
            }
            handle(message, transport, remote, local, flow,
                    response -> Writes.stream(channel, response, counters, Writes.countFailure(counters)));
        }
        return true;
    }

    static Peer peer(InetSocketAddress address) {
        return new Peer(address.getAddress().getHostAddress(), address.getPort());
    }
}
