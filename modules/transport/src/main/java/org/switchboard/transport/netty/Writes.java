package org.switchboard.transport.netty;

import java.net.InetSocketAddress;

import org.switchboard.transport.EdgeCounters;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DatagramPacket;

/**
 * Every write honours back-pressure: a channel over its write buffer's high mark (a peer that does not read, or a
 * socket that cannot keep up) gets the write dropped and counted rather than buffered without end. SIP survives a
 * lost message (UDP retransmits, TCP peers time out); a node out of memory does not.
 */
final class Writes {
    private Writes() {
    }

    static void datagram(Channel udp, byte[] bytes, InetSocketAddress to, EdgeCounters counters) {
        datagram(udp, bytes, to, counters, countFailure(counters));
    }

    static ChannelFutureListener countFailure(EdgeCounters counters) {
        return f -> {
            if (!f.isSuccess()) {
                counters.sendFailures.increment();
            }
        };
    }

    static void datagram(Channel udp, byte[] bytes, InetSocketAddress to, EdgeCounters counters,
                         ChannelFutureListener listener) {
        if (!udp.isWritable()) {
            counters.writesDropped.increment();
            return;
        }
        udp.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), to)).addListener(listener);
    }

    /** False when dropped: the connection's StreamHandler closes it if it stays unwritable. */
    static boolean stream(Channel channel, byte[] bytes, EdgeCounters counters, ChannelFutureListener listener) {
        if (!channel.isWritable()) {
            counters.writesDropped.increment();
            return false;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(listener);
        return true;
    }
}
