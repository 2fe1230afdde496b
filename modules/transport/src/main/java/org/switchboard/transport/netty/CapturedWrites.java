package org.switchboard.transport.netty;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.hep.SipCapture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * SIP capture of what this node sends on connections (datagrams: {@link DatagramWriter}): the last handler of every
 * connection's SIP pipeline, so it sees each message as it is written — after the send path chose the transport,
 * connection and address (a host name resolved, a large request switched to TCP, a stateless answer from the edge),
 * and before TLS encrypts it or WebSocket frames it. What is not SIP is let through unseen: CRLF pongs, the
 * WebSocket handshake and pings.
 */
@ChannelHandler.Sharable
final class CapturedWrites extends ChannelOutboundHandlerAdapter {
    private final SipCapture capture;
    private final SipTransport transport;

    CapturedWrites(SipCapture capture, SipTransport transport) {
        this.capture = capture;
        this.transport = transport;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ByteBuf bytes) {
            seen(bytes, ctx.channel().localAddress(), ctx.channel().remoteAddress());
        } else if (msg instanceof TextWebSocketFrame frame) {
            seen(frame.content(), ctx.channel().localAddress(), ctx.channel().remoteAddress());
        }
        ctx.write(msg, promise);
    }

    private void seen(ByteBuf content, SocketAddress local, SocketAddress remote) {
        if (!startsLikeSip(content) || !(local instanceof InetSocketAddress from) || !(remote instanceof InetSocketAddress to)) {
            return;
        }
        // the send path wraps the message's own array: no copy
        byte[] bytes = ByteBufUtil.getBytes(content, content.readerIndex(), content.readableBytes(), false);
        capture.capture(bytes, transport, from, to);
    }

    /** A request's method or "SIP/2.0": a letter. A pong is CR LF, a STUN message starts with two zero bits. */
    private static boolean startsLikeSip(ByteBuf content) {
        if (!content.isReadable()) {
            return false;
        }
        int first = content.getByte(content.readerIndex()) | 0x20;
        return first >= 'a' && first <= 'z';
    }
}
