package org.switchboard.transport.netty;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.framing.FramingLimits;
import org.switchboard.sip.framing.StreamFramer;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.security.ConnectionLimits;
import org.switchboard.transport.security.EdgeGuard;
import org.switchboard.transport.security.EdgeSecurity;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * One TCP or TLS connection (for TLS, behind the SslHandler, so it sees clear text): frames by Content-Length, answers CRLF pings, registers the connection as a flow. It guards
 * itself: an accepted connection counts against the connection caps, and is closed when it stays silent (no
 * message, no keep-alive) for the idle timeout, keeps a message unfinished for the message timeout (a slow
 * drip), or does not read what is written to it for the write-stall timeout.
 */
final class StreamHandler extends ChannelInboundHandlerAdapter {
    static final AttributeKey<String> FLOW = AttributeKey.valueOf("sip-flow");
    /** The transport of the connection (TCP, or TLS when an SslHandler sits before this handler). */
    static final AttributeKey<SipTransport> TRANSPORT = AttributeKey.valueOf("sip-transport");
    private static final Logger log = LoggerFactory.getLogger(StreamHandler.class);
    private static final byte[] PONG = "\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final long NEVER = Long.MIN_VALUE;

    private final Inbound inbound;
    private final Flows flows;
    private final StreamFramer framer;
    private final SipTransport transport;
    private final EdgeSecurity.Tcp tcp;
    /** Present for connections this node accepted: those are capped (the ones it opens itself are not). */
    private final Optional<ConnectionLimits> limits;
    /** The remote address counted against the caps (when it was), to be uncounted on close. */
    private Optional<InetAddress> counted = Optional.empty();
    private long lastActivity;
    private long pendingSince = NEVER;
    private long unwritableSince = NEVER;
    private ScheduledFuture<?> watchdog;

    StreamHandler(Inbound inbound, Flows flows, FramingLimits framing, SipTransport transport, EdgeSecurity.Tcp tcp,
                  Optional<ConnectionLimits> limits) {
        this.inbound = inbound;
        this.flows = flows;
        this.framer = new StreamFramer(framing);
        this.transport = transport;
        this.tcp = tcp;
        this.limits = limits;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        InetAddress address = remote.getAddress();
        if (limits.isPresent()) {
            EdgeGuard guard = inbound.guard();
            if (!guard.trusted(address) && guard.bans().isBanned(address)) {
                inbound.counters().banned.increment();
                ctx.close();
                return;
            }
            if (!limits.get().tryOpen(address)) {
                inbound.counters().connectionsRefused.increment();
                log.debug("refused {} connection from {}: connection cap reached", transport, remote);
                ctx.close();
                return;
            }
            counted = Optional.of(address);
        }
        ctx.channel().attr(TRANSPORT).set(transport);
        // only accepted connections are capped: limits present means the peer opened it
        String token = flows.register(ctx.channel(), Flows.key(transport, Inbound.peer(remote)), limits.isPresent());
        ctx.channel().attr(FLOW).set(token);
        lastActivity = System.nanoTime();
        long period = Math.max(50, Math.min(1000, Math.min(tcp.idleTimeout().toMillis(),
                Math.min(tcp.messageTimeout().toMillis(), tcp.writeStallTimeout().toMillis())) / 4));
        watchdog = ctx.executor().scheduleAtFixedRate(() -> watch(ctx), period, period, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        counted.ifPresent(address -> limits.get().closed(address));
        counted = Optional.empty();
        ctx.fireChannelInactive();
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
            return; // refused in channelActive: what it managed to send is not read
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        Optional<String> flow = Optional.ofNullable(ctx.channel().attr(FLOW).get());
        long now = System.nanoTime();
        boolean framed = framer.pending() == 0;
        for (StreamFramer.Frame frame : framer.feed(data, 0, data.length)) {
            framed = true;
            if (frame instanceof StreamFramer.Message m) {
                lastActivity = now;
                EdgeGuard.Verdict verdict = inbound.verdict(remote.getAddress());
                if (verdict == EdgeGuard.Verdict.BANNED) {
                    ctx.close();
                    return;
                }
                if (verdict == EdgeGuard.Verdict.ADMIT) {
                    inbound.handle(m.bytes(), transport, remote, local, flow,
                            response -> Writes.stream(ctx.channel(), response, inbound.counters(), Writes.countFailure(inbound.counters())));
                }
            } else if (frame instanceof StreamFramer.Ping) {
                lastActivity = now;
                inbound.counters().keepAlives.increment();
                Writes.stream(ctx.channel(), PONG, inbound.counters(), Writes.countFailure(inbound.counters()));
            } else if (frame instanceof StreamFramer.Failure f) {
                inbound.counters().malformedDropped.increment();
                log.info("closing {} connection from {}: {}", transport, remote, f.reason());
                ctx.close();
                return;
            }
        }
        if (framer.pending() == 0) {
            pendingSince = NEVER;
        } else if (framed) {
            pendingSince = now; // a new message has begun
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        unwritableSince = ctx.channel().isWritable() ? NEVER : System.nanoTime();
        ctx.fireChannelWritabilityChanged();
    }

    /** On the connection's own event loop, a few times per shortest timeout. */
    private void watch(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        Object remote = ctx.channel().remoteAddress();
        if (pendingSince != NEVER && now - pendingSince > tcp.messageTimeout().toNanos()) {
            inbound.counters().slowClosed.increment();
            log.info("closing {} connection from {}: a message unfinished for more than {} ms ({} bytes)", transport,
                    remote, tcp.messageTimeout().toMillis(), framer.pending());
            ctx.close();
        } else if (now - lastActivity > tcp.idleTimeout().toNanos()) {
            inbound.counters().idleClosed.increment();
            log.debug("closing {} connection from {}: no message or keep-alive for {} s", transport, remote,
                    tcp.idleTimeout().toSeconds());
            ctx.close();
        } else if (unwritableSince != NEVER && now - unwritableSince > tcp.writeStallTimeout().toNanos()) {
            log.info("closing {} connection to {}: it has not read what was sent for {} ms", transport, remote,
                    tcp.writeStallTimeout().toMillis());
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{} connection {} failed: {}", transport, ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
