package org.switchboard.transport.netty;

import org.switchboard.transport.EdgeCounters;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.AttributeKey;

/**
 * Every stream write honours back-pressure: a connection over its write buffer's high mark (a peer that does not
 * read, or a socket that cannot keep up) gets the write dropped and counted rather than buffered without end
 * (datagrams: {@link DatagramWriter}). SIP survives a lost message (UDP retransmits, TCP peers time out); a node
 * out of memory does not.
 */
final class Writes {
    /** Set on a WebSocket connection once its handshake is done: every SIP message written to it is a frame. */
    static final AttributeKey<Boolean> WEBSOCKET = AttributeKey.valueOf("sip-websocket");

    private Writes() {
    }

    static ChannelFutureListener countFailure(EdgeCounters counters) {
        return f -> {
            if (!f.isSuccess()) {
                counters.sendFailures.increment();
            }
        };
    }

    /**
     * False when dropped: the connection's guard closes it if it stays unwritable. On a WebSocket connection the
     * message is one text frame (RFC 7118 §5.1: one SIP message per frame; SIP is UTF-8 text).
     */
    static boolean stream(Channel channel, byte[] bytes, EdgeCounters counters, ChannelFutureListener listener) {
        if (!channel.isWritable()) {
            counters.writesDropped.increment();
            return false;
        }
        Object message = Boolean.TRUE.equals(channel.attr(WEBSOCKET).get())
                ? new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)) : Unpooled.wrappedBuffer(bytes);
        channel.writeAndFlush(message).addListener(listener);
        return true;
    }
}
