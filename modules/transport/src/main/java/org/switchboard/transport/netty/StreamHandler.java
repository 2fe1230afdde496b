package org.switchboard.transport.netty;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.framing.FramingLimits;
import org.switchboard.sip.framing.StreamFramer;
import org.switchboard.transport.api.SipTransport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/** One TCP connection: frames by Content-Length, answers CRLF pings, registers the connection as a flow. */
final class StreamHandler extends ChannelInboundHandlerAdapter {
    static final AttributeKey<String> FLOW = AttributeKey.valueOf("sip-flow");
    private static final Logger log = LoggerFactory.getLogger(StreamHandler.class);
    private static final byte[] PONG = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Inbound inbound;
    private final Flows flows;
    private final StreamFramer framer;
    private final SipTransport transport;

    StreamHandler(Inbound inbound, Flows flows, FramingLimits limits, SipTransport transport) {
        this.inbound = inbound;
        this.flows = flows;
        this.framer = new StreamFramer(limits);
        this.transport = transport;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        String token = flows.register(ctx.channel(), Inbound.peer(remote).toString());
        ctx.channel().attr(FLOW).set(token);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        byte[] data;
        try {
            data = ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        Optional<String> flow = Optional.ofNullable(ctx.channel().attr(FLOW).get());
        for (StreamFramer.Frame frame : framer.feed(data, 0, data.length)) {
            if (frame instanceof StreamFramer.Message m) {
                inbound.handle(m.bytes(), transport, remote, local, flow,
                        response -> ctx.writeAndFlush(Unpooled.wrappedBuffer(response)));
            } else if (frame instanceof StreamFramer.Ping) {
                inbound.counters().keepAlives.increment();
                ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG));
            } else if (frame instanceof StreamFramer.Failure f) {
                inbound.counters().malformedDropped.increment();
                log.info("closing {} connection from {}: {}", transport, remote, f.reason());
                ctx.close();
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{} connection {} failed: {}", transport, ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
