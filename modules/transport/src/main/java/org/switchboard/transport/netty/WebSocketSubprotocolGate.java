package org.switchboard.transport.netty;

import java.util.Arrays;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.transport.EdgeCounters;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * Lets through only a WebSocket upgrade that asks for the {@code sip} subprotocol (RFC 7118 §4). Netty's handshaker
 * would accept a client asking for none (and answer without one), leaving a peer that does not speak SIP on a SIP
 * port; any other HTTP request is answered 400 and the connection closed, counted as malformed.
 */
final class WebSocketSubprotocolGate extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WebSocketSubprotocolGate.class);
    private final EdgeCounters counters;

    WebSocketSubprotocolGate(EdgeCounters counters) {
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request && !asksForSip(request)) {
            ReferenceCountUtil.release(msg);
            counters.malformedDropped.increment();
            log.debug("refused a WebSocket handshake from {}: not an upgrade to the sip subprotocol",
                    ctx.channel().remoteAddress());
            FullHttpResponse refusal = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                    Unpooled.EMPTY_BUFFER);
            refusal.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    static boolean asksForSip(FullHttpRequest request) {
        String upgrade = request.headers().get(HttpHeaderNames.UPGRADE, "");
        String protocols = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, "");
        return upgrade.equalsIgnoreCase("websocket") && Arrays.stream(protocols.split(","))
                .map(p -> p.trim().toLowerCase(Locale.ROOT)).anyMatch(WebSocketInitializer.SUBPROTOCOL::equals);
    }
}
