package org.switchboard.transport.netty;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.net.ssl.SSLHandshakeException;

import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.api.Destination;
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
 * <p>Never downgrades: a TLS destination (a {@code sips:} target or {@code transport=tls}) is only ever written
 * to on a TLS connection whose handshake verified the peer's certificate and host name; a connection that fails
 * fails the send, which {@link SendFailures} turns into a 503 for the transaction. No fallback to TCP or UDP.
 */
final class Outbound {
    private final Supplier<Channel> udp;
    private final Flows flows;
    private final Bootstrap tcpConnector;
    /** A bootstrap for a TLS connection to this destination (its SslHandler names the peer for SNI and checks). */
    private final Function<Destination, Bootstrap> tlsConnector;
    private final EdgeCounters counters;
    private final SendFailures failures;

    Outbound(Supplier<Channel> udp, Flows flows, Bootstrap tcpConnector, Function<Destination, Bootstrap> tlsConnector,
             EdgeCounters counters, SendFailures failures) {
        this.udp = udp;
        this.flows = flows;
        this.tcpConnector = tcpConnector;
        this.tlsConnector = tlsConnector;
        this.counters = counters;
        this.failures = failures;
    }

    void send(Send send) {
        Destination d = send.destination();
        if (!d.transport().isStream()) {
            InetSocketAddress to = new InetSocketAddress(d.peer().host(), d.peer().port());
            Writes.datagram(udp.get(), send.bytes(), to, counters, onFailure(send));
            return;
        }
        Optional<Channel> existing = d.flow().flatMap(flows::byToken)
                .or(() -> flows.byRemote(Flows.key(d.transport(), d.peer())))
                .filter(ch -> ch.attr(StreamHandler.TRANSPORT).get() == d.transport());
        if (existing.isPresent()) {
            Writes.stream(existing.get(), send.bytes(), counters, onFailure(send));
            return;
        }
        Bootstrap connector = d.transport() == SipTransport.TLS ? tlsConnector.apply(d) : tcpConnector;
        connector.connect(d.peer().host(), d.peer().port()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                failures.failed(send, "connection failed", f.cause());
                return;
            }
            SslHandler ssl = f.channel().pipeline().get(SslHandler.class);
            if (ssl == null) {
                Writes.stream(f.channel(), send.bytes(), counters, onFailure(send));
                return;
            }
            // nothing is written before the peer has proved who it is
            ssl.handshakeFuture().addListener(h -> {
                if (h.isSuccess()) {
                    Writes.stream(f.channel(), send.bytes(), counters, onFailure(send));
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
