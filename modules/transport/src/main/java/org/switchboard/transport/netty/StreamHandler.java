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
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One TCP connection's SIP: frames by Content-Length, answers CRLF pings. Its {@link ConnectionGuard}, ahead of it in
 * the pipeline, caps, registers and times out the connection; this handler tells it when messages arrive and when
 * one is left unfinished.
 */
final class StreamHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(StreamHandler.class);
    private static final byte[] PONG = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Inbound inbound;
    private final ConnectionGuard guard;
    private final StreamFramer framer;
    private final SipTransport transport;

    StreamHandler(Inbound inbound, ConnectionGuard guard, FramingLimits framing, SipTransport transport) {
        this.inbound = inbound;
        this.guard = guard;
        this.framer = new StreamFramer(framing);
        this.transport = transport;
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
        if (!ctx.channel().isActive()) {
            return; // refused by the guard: what it managed to send is not read
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        Optional<String> flow = Flows.tokenOf(ctx.channel());
        long now = System.nanoTime();
        boolean framed = framer.pending() == 0;
        for (StreamFramer.Frame frame : framer.feed(data, 0, data.length)) {
            framed = true;
            if (frame instanceof StreamFramer.Message m) {
                guard.active(now);
                if (!inbound.handleOnConnection(ctx.channel(), m.bytes(), transport, remote, local, flow)) {
                    return;
                }
            } else if (frame instanceof StreamFramer.Ping) {
                guard.active(now);
                inbound.counters().keepAlives.increment();
                Writes.stream(ctx.channel(), PONG, inbound.counters(), Writes.countFailure(inbound.counters()));
            } else if (frame instanceof StreamFramer.Failure f) {
                inbound.counters().malformedDropped.increment();
                log.info("closing {} connection from {}: {}", transport, remote, f.reason());
                ctx.close();
                return;
            }
        }
        guard.unfinished(framer.pending() != 0, framed, now);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{} connection {} failed: {}", transport, ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
