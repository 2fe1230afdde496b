package org.switchboard.transport.netty;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.net.ssl.SSLHandshakeException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.FlowOwners;
import org.switchboard.transport.api.FlowTokens;
import org.switchboard.transport.api.PassedOn;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.SipTransport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;

/**
 * Writes messages to the network: UDP from the listening socket (so replies come from the port peers know);
 * streams on the requested flow, else on any live connection to the address over the same transport, else on a
 * new one.
 *
 * <p>A flow lives on one transport node: a message for a flow another node holds is passed to that node, which
 * writes it on the connection (one hop). A flow that is gone (its node dead, its connection closed) is not
 * connected to again when the peer opened it — a phone does not listen on the port it connected from (RFC 5626
 * §5.3): a request for it is answered 430 Flow Failed into the cluster, anything else is dropped.
 *
 * <p>WebSocket destinations are reached only over the connection the client opened: with it gone, a request for it
 * is answered 430.
 *
 * <p>A request for a UDP destination that is too large for a datagram is sent over TCP (RFC 3261 §18.1.1), see
 * {@link TcpSwitch}.
 *
 * <p>Never downgrades: a TLS destination (a {@code sips:} target or {@code transport=tls}) is only ever written
 * to on a TLS connection whose handshake verified the peer's certificate and host name; a connection that fails
 * fails the send, which {@link FailedRequests} turns into a 503 for the transaction. No fallback to TCP or UDP.
 */
final class Outbound {
    private static final Logger log = LoggerFactory.getLogger(Outbound.class);
    private final Supplier<DatagramWriter> udp;
    private final Flows flows;
    private final Bootstrap tcpConnector;
    /** A bootstrap for a TLS connection to this destination (its SslHandler names the peer for SNI and checks). */
    private final Function<Destination, Bootstrap> tlsConnector;
    private final EdgeCounters counters;
    private final FlowOwners owners;
    private final FailedRequests failures;
    private final TcpSwitch tcpSwitch;

    Outbound(Supplier<DatagramWriter> udp, Flows flows, Bootstrap tcpConnector, Function<Destination, Bootstrap> tlsConnector,
             EdgeCounters counters, FlowOwners owners, FailedRequests failures, int udpMtuThreshold) {
        this.udp = udp;
        this.flows = flows;
        this.tcpConnector = tcpConnector;
        this.tlsConnector = tlsConnector;
        this.counters = counters;
        this.owners = owners;
        this.failures = failures;
        this.tcpSwitch = new TcpSwitch(udpMtuThreshold, counters);
    }

    void send(Send send) {
        send(send, true);
    }

    /** @param mayPassOn false for a send another node passed on to this one: it is written here or fails here */
    void send(Send send, boolean mayPassOn) {
        Destination d = send.destination();
        if (!d.transport().isStream()) {
            Optional<byte[]> overTcp = tcpSwitch.overTcp(send.bytes());
            if (overTcp.isPresent()) {
                Destination tcp = new Destination(SipTransport.TCP, d.peer(), Optional.empty());
                stream(tcp, overTcp.get(), send, Optional.of(() -> {
                    counters.tcpSwitchFellBack.increment(); // the RFC allows UDP then: better than nothing
                    log.debug("no TCP connection to {}: the large request goes over UDP after all", d.peer());
                    datagram(send);
                }));
                return;
            }
            datagram(send);
            return;
        }
        if (d.flow().isPresent()) {
            String token = d.flow().get();
            Optional<String> ownerId = FlowTokens.owner(token).filter(id -> !id.equals(flows.nodeId()));
            if (ownerId.isPresent() && mayPassOn) {
                var owner = owners.owner(ownerId.get());
                if (owner.isPresent()) {
                    counters.flowsForwarded.increment();
                    owner.get().tell(new PassedOn(send));
                    return;
                }
            }
            Optional<Channel> flow = flows.byToken(token).filter(ch -> sameTransport(ch, d))
                    .or(() -> live(d));
            if (flow.isPresent()) {
                Writes.stream(flow.get(), send.bytes(), counters, onFailure(send));
                return;
            }
            if (!FlowTokens.reconnectable(token)) {
                log.debug("flow {} to {} is gone{}", token, d.peer(), ownerId.map(id -> " with its node " + id).orElse(""));
                failures.fail(send, 430, "Flow Failed");
                return;
            }
        }
        if (d.transport().isWebSocket()) {
            // a WebSocket client is reached only on the connection it opened (RFC 7118 §5: its Contact and Via
            // name .invalid hosts); we never open one to it
            failures.fail(send, 430, "Flow Failed");
            return;
        }
        stream(d, send.bytes(), send, Optional.empty());
    }

    private void datagram(Send send) {
        Destination d = send.destination();
        InetSocketAddress to = new InetSocketAddress(d.peer().host(), d.peer().port());
        udp.get().send(send.bytes(), to, cause -> failures.failed(send, "write failed", cause));
    }

    private Optional<Channel> live(Destination d) {
        return flows.byRemote(Flows.key(d.transport(), d.peer())).filter(ch -> sameTransport(ch, d));
    }

    private static boolean sameTransport(Channel ch, Destination d) {
        return ch.attr(Flows.TRANSPORT).get() == d.transport();
    }

    /**
     * On a live connection to the address over {@code d}'s transport, else on a new one. When none can be made,
     * {@code fallback} runs if there is one, else the request of {@code send} is answered 503.
     */
    private void stream(Destination d, byte[] bytes, Send send, Optional<Runnable> fallback) {
        Optional<Channel> existing = live(d);
        if (existing.isPresent()) {
            Writes.stream(existing.get(), bytes, counters, onFailure(send));
            return;
        }
        Bootstrap connector = d.transport() == SipTransport.TLS ? tlsConnector.apply(d) : tcpConnector;
        connector.connect(d.peer().host(), d.peer().port()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                fallback.ifPresentOrElse(Runnable::run, () -> failures.failed(send, "connection failed", f.cause()));
                return;
            }
            SslHandler ssl = f.channel().pipeline().get(SslHandler.class);
            if (ssl == null) {
                Writes.stream(f.channel(), bytes, counters, onFailure(send));
                return;
            }
            // nothing is written before the peer has proved who it is
            ssl.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    Writes.stream(f.channel(), bytes, counters, onFailure(send));
                } else {
                    failures.failed(send, "TLS handshake failed", rootCause(h.cause()));
                    f.channel().close();
                }
            });
        });
    }

    private ChannelFutureListener onFailure(Send send) {
        return f -> {
            if (!f.isSuccess()) {
                Throwable cause = rootCause(f.cause());
                failures.failed(send, cause instanceof SSLHandshakeException ? "TLS handshake failed" : "write failed",
                        cause);
            }
        };
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c && !(c instanceof SSLHandshakeException)) {
            c = c.getCause();
        }
        return c;
    }
}
