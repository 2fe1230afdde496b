package org.switchboard.transport.netty;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.SipTransport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/**
 * Writes messages to the network: UDP from the listening socket (so replies come from the port peers know);
 * streams on the requested flow, else on any live connection to the address, else on a new one.
 *
 * <p>WebSocket destinations are reached only over the connection the client opened: with it gone, the send fails.
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

    Outbound(Supplier<Channel> udp, Flows flows, Bootstrap connector, EdgeCounters counters) {
        this.udp = udp;
        this.flows = flows;
        this.connector = connector;
        this.counters = counters;
    }

    void send(Send send) {
        Destination d = send.destination();
        if (d.transport() == SipTransport.TLS) {
            counters.sendFailures.increment();
            log.info("not sending to {} {}: it needs TLS, which this node does not offer yet (never in clear text)",
                    d.transport(), d.peer());
            return;
        }
        if (!d.transport().isStream()) {
            InetSocketAddress to = new InetSocketAddress(d.peer().host(), d.peer().port());
            Writes.datagram(udp.get(), send.bytes(), to, counters, failureCounter(d));
            return;
        }
        Optional<Channel> existing = d.flow().flatMap(flows::byToken).or(() -> flows.byRemote(d.transport(), d.peer()));
        if (existing.isPresent()) {
            Writes.stream(existing.get(), send.bytes(), counters, failureCounter(d));
            return;
        }
        if (d.transport().isWebSocket()) {
            // a WebSocket client is reached only on the connection it opened (RFC 7118 §5: its Contact and Via
            // name .invalid hosts); we never open one to it
            counters.sendFailures.increment();
            log.info("not sending to {} {}: its WebSocket connection is gone", d.transport(), d.peer());
            return;
        }
        connector.connect(d.peer().host(), d.peer().port()).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                Writes.stream(f.channel(), send.bytes(), counters, failureCounter(d));
            } else {
                counters.sendFailures.increment();
                log.info("cannot connect to {} {}: {}", d.transport(), d.peer(), f.cause().toString());
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
