package org.switchboard.transport.netty;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.transport.api.SipTransport;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * SIP over an upgraded WebSocket connection: each text or binary message (its fragments reassembled) is one SIP
 * message (RFC 7118 §5), taking the same edge path as one framed on TCP. Once the handshake is done, the connection
 * is marked so that what is written to it goes out as frames, and pinged a few times per idle timeout: the pong
 * keeps a live client's connection open (browsers send no keep-alives of their own), one that stops answering is
 * closed as idle.
 */
final class WebSocketSipHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(WebSocketSipHandler.class);
    private final Inbound inbound;
    private final ConnectionGuard guard;
    private final SipTransport transport;
    private final Supplier<InetSocketAddress> sipAddress;
    private final Duration idleTimeout;

    WebSocketSipHandler(Inbound inbound, ConnectionGuard guard, SipTransport transport,
                        Supplier<InetSocketAddress> sipAddress, Duration idleTimeout) {
        this.sipAddress = sipAddress;
        this.idleTimeout = idleTimeout;
        this.inbound = inbound;
        this.guard = guard;
        this.transport = transport;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            ctx.channel().attr(Writes.WEBSOCKET).set(Boolean.TRUE);
            guard.completed(System.nanoTime());
            // sees every frame, pongs included, before the protocol handler swallows control frames
            ctx.pipeline().addAfter("wsdecoder", "frames-seen", new FramesSeen(guard));
            // browsers send no keep-alives of their own but answer a ping: a live one is never idle, a gone one is
            long every = Math.max(100, idleTimeout.toMillis() / 3);
            ScheduledFuture<?> pings = ctx.executor().scheduleAtFixedRate(() -> {
                if (ctx.channel().isActive() && ctx.channel().isWritable()) {
                    ctx.writeAndFlush(new PingWebSocketFrame());
                }
            }, every, every, TimeUnit.MILLISECONDS);
            ctx.channel().closeFuture().addListener(f -> pings.cancel(false));
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame) && !(frame instanceof BinaryWebSocketFrame)) {
            return;
        }
        byte[] data = ByteBufUtil.getBytes(frame.content());
        if (isBlank(data)) {
            inbound.counters().keepAlives.increment(); // some clients send CRLF frames as keep-alives
            return;
        }
        // the local address the core sees is our SIP port, not this one: the Via and Record-Route it writes on a
        // request it forwards over UDP or TCP must bring the answers to a port that speaks SIP over UDP and TCP
        inbound.handleOnConnection(ctx.channel(), data, transport, (InetSocketAddress) ctx.channel().remoteAddress(),
                sipAddress.get(), Flows.tokenOf(ctx.channel()));
    }

    private static boolean isBlank(byte[] data) {
        for (byte b : data) {
            if (b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{} connection {} failed: {}", transport, ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** The end of every whole frame (the last fragment of a message, a ping) is activity and ends a pending read. */
    private static final class FramesSeen extends ChannelInboundHandlerAdapter {
        private final ConnectionGuard guard;

        FramesSeen(ConnectionGuard guard) {
            this.guard = guard;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof WebSocketFrame frame && frame.isFinalFragment()) {
                guard.completed(System.nanoTime());
            }
            ctx.fireChannelRead(msg);
        }
    }
}
