package org.switchboard.transport.netty;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

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

/**
 * Writes messages to the network: UDP from the listening socket (so replies come from the port peers know);
 * streams on the requested flow, else on any live connection to the address, else on a new one.
 *
 * <p>A flow lives on one transport node: a message for a flow another node holds is passed to that node, which
 * writes it on the connection (one hop). A flow that is gone (its node dead, its connection closed) is not
 * connected to again when the peer opened it — a phone does not listen on the port it connected from (RFC 5626
 * §5.3): a request for it is answered 430 Flow Failed into the cluster, anything else is dropped.
 *
 * <p>A request for a UDP destination that is too large for a datagram is sent over TCP (RFC 3261 §18.1.1), see
 * {@link TcpSwitch}.
 *
 * <p>Never downgrades: this node has no TLS yet, so a message for a TLS destination (a {@code sips:} target or
 * {@code transport=tls}) is not sent at all — never written in clear text over TCP, where a caller who asked for
 * encryption would expose its SDP's media keys. It is counted as a send failure; the transaction that sent it
 * times out.
 */
final class Outbound {
    private static final Logger log = LoggerFactory.getLogger(Outbound.class);
    private final Supplier<Channel> udp;
    private final Flows flows;
    private final Bootstrap connector;
    private final EdgeCounters counters;
    private final FlowOwners owners;
    private final FailedRequests failed;
    private final TcpSwitch tcpSwitch;

    Outbound(Supplier<Channel> udp, Flows flows, Bootstrap connector, EdgeCounters counters, FlowOwners owners,
             FailedRequests failed, int udpMtuThreshold) {
        this.udp = udp;
        this.flows = flows;
        this.connector = connector;
        this.counters = counters;
        this.owners = owners;
        this.failed = failed;
        this.tcpSwitch = new TcpSwitch(udpMtuThreshold, counters);
    }

    void send(Send send) {
        send(send, true);
    }

    /** @param mayPassOn false for a send another node passed on to this one: it is written here or fails here */
    void send(Send send, boolean mayPassOn) {
        Destination d = send.destination();
        if (d.transport() == SipTransport.TLS) {
            counters.sendFailures.increment();
            log.info("not sending to {} {}: it needs TLS, which this node does not offer yet (never in clear text)",
                    d.transport(), d.peer());
            return;
        }
        if (!d.transport().isStream()) {
            Optional<byte[]> overTcp = tcpSwitch.overTcp(send.bytes());
            if (overTcp.isPresent()) {
                Destination tcp = new Destination(SipTransport.TCP, d.peer(), Optional.empty());
                stream(tcp, overTcp.get(), () -> {
                    counters.tcpSwitchFellBack.increment(); // the RFC allows UDP then: better than nothing
                    log.debug("no TCP connection to {}: the large request goes over UDP after all", d.peer());
                    datagram(d, send.bytes());
                });
                return;
            }
            datagram(d, send.bytes());
            return;
        }
        if (d.flow().isEmpty()) {
            stream(d, send.bytes(), counters.sendFailures::increment);
            return;
        }
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
        Optional<Channel> existing = flows.byToken(token).or(() -> flows.byRemote(d.peer().toString()));
        if (existing.isPresent()) {
            Writes.stream(existing.get(), send.bytes(), counters, failureCounter(d));
        } else if (FlowTokens.reconnectable(token)) {
            stream(d, send.bytes(), counters.sendFailures::increment);
        } else {
            log.debug("flow {} to {} is gone{}", token, d.peer(), ownerId.map(id -> " with its node " + id).orElse(""));
            failed.fail(send, 430, "Flow Failed");
        }
    }

    private void datagram(Destination d, byte[] bytes) {
        InetSocketAddress to = new InetSocketAddress(d.peer().host(), d.peer().port());
        Writes.datagram(udp.get(), bytes, to, counters, failureCounter(d));
    }

    /** On a live connection to the address, else on a new one; {@code unreachable} runs when none can be made. */
    private void stream(Destination d, byte[] bytes, Runnable unreachable) {
        Optional<Channel> existing = flows.byRemote(d.peer().toString());
        if (existing.isPresent()) {
            Writes.stream(existing.get(), bytes, counters, failureCounter(d));
            return;
        }
        connect(d, channel -> Writes.stream(channel, bytes, counters, failureCounter(d)), unreachable);
    }

    private void connect(Destination d, Consumer<Channel> connected, Runnable unreachable) {
        connector.connect(d.peer().host(), d.peer().port()).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                connected.accept(f.channel());
            } else {
                log.info("cannot connect to {} {}: {}", d.transport(), d.peer(), f.cause().toString());
                unreachable.run();
            }
        });
    }

    private ChannelFutureListener failureCounter(Destination d) {
        return f -> {
            if (!f.isSuccess()) {
                counters.sendFailures.increment();
                log.debug("send to {} failed: {}", d, f.cause().toString());
            }
        };
    }
}
