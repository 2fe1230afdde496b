package org.switchboard.transport.netty;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;

import org.switchboard.sip.framing.FramingLimits;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.hep.SipCapture;
import org.switchboard.transport.security.ConnectionLimits;
import org.switchboard.transport.security.EdgeSecurity;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;

/**
 * The pipeline of an accepted SIP-over-WebSocket connection (RFC 7118): the same guard as TCP (caps, bans, flow,
 * timeouts) first; TLS when this is the WSS listener; the HTTP upgrade, refused unless the client asks for the
 * {@code sip} subprotocol; then one SIP message per (reassembled) WebSocket frame.
 */
final class WebSocketInitializer extends ChannelInitializer<SocketChannel> {
    /** RFC 7118 §4: the WebSocket subprotocol of SIP. */
    static final String SUBPROTOCOL = "sip";
    /** A handshake is one GET with headers and no body. */
    private static final int MAX_HANDSHAKE_BYTES = 8192;

    private final Inbound inbound;
    private final Flows flows;
    private final FramingLimits framing;
    private final SipTransport transport;
    private final EdgeSecurity.Tcp tcp;
    private final ConnectionLimits limits;
    private final Optional<SslContext> tls;
    private final Supplier<InetSocketAddress> sipAddress;
    private final Optional<SipCapture> capture;

    /** @param sipAddress the node's SIP (UDP and TCP) address, given as the local address of what arrives here */
    WebSocketInitializer(Inbound inbound, Flows flows, FramingLimits framing, EdgeSecurity.Tcp tcp,
                         ConnectionLimits limits, Optional<SslContext> tls, Supplier<InetSocketAddress> sipAddress,
                         Optional<SipCapture> capture) {
        this.sipAddress = sipAddress;
        this.capture = capture;
        this.inbound = inbound;
        this.flows = flows;
        this.framing = framing;
        this.transport = tls.isPresent() ? SipTransport.WSS : SipTransport.WS;
        this.tcp = tcp;
        this.limits = limits;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ConnectionGuard guard = new ConnectionGuard(inbound, flows, transport, tcp, Optional.of(limits), true);
        int maxMessage = framing.maxHeaderBytes() + framing.maxBodyBytes();
        ChannelPipeline p = ch.pipeline();
        p.addLast("guard", guard);
        tls.ifPresent(ctx -> p.addLast("tls", ctx.newHandler(ch.alloc())));
        p.addLast("http", new HttpServerCodec());
        p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HANDSHAKE_BYTES));
        p.addLast("subprotocol", new WebSocketSubprotocolGate(inbound.counters()));
        p.addLast("websocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/")
                .checkStartsWith(true) // any path: clients are configured with URLs like ws://host:port/ws
                .subprotocols(SUBPROTOCOL)
                .maxFramePayloadLength(maxMessage)
                .handshakeTimeoutMillis(tcp.messageTimeout().toMillis())
                .build()));
        p.addLast("frame-aggregator", new WebSocketFrameAggregator(maxMessage));
        p.addLast("sip", new WebSocketSipHandler(inbound, guard, transport, sipAddress, tcp.idleTimeout()));
        capture.ifPresent(c -> p.addLast("capture", new CapturedWrites(c, transport)));
    }
}
