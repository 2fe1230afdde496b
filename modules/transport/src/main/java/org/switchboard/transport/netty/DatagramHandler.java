package org.switchboard.transport.netty;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;

import org.switchboard.transport.api.SipTransport;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/**
 * One UDP datagram is one SIP message (RFC 3261 §18.3); a bare CRLF keep-alive is counted and dropped, a STUN
 * Binding request (RFC 5626 §4.4.2) answered.
 */
@ChannelHandler.Sharable
final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final Inbound inbound;
    private final Supplier<DatagramWriter> writer;

    DatagramHandler(Inbound inbound, Supplier<DatagramWriter> writer) {
        this.inbound = inbound;
        this.writer = writer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        InetSocketAddress sender = packet.sender();
        if (!inbound.admit(sender)) {
            return; // before the copy: a flood costs a map lookup per datagram
        }
        byte[] data = ByteBufUtil.getBytes(packet.content());
        if (isKeepAlive(data)) {
            inbound.counters().keepAlives.increment();
            return;
        }
        if (Stun.isStun(data)) {
            inbound.counters().keepAlives.increment();
            Stun.answer(data, sender).ifPresent(answer -> writer.get().send(answer, sender));
            return;
        }
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        inbound.captured(data, SipTransport.UDP, sender, local);
        inbound.handle(data, SipTransport.UDP, sender, local, Optional.empty(),
                response -> writer.get().send(response, sender));
    }

    private static boolean isKeepAlive(byte[] data) {
        for (byte b : data) {
            if (b != '\r' && b != '\n' && b != 0) {
                return false;
            }
        }
        return true;
    }
}
