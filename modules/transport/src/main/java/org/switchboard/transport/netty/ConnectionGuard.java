package org.switchboard.transport.netty;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.security.ConnectionLimits;
import org.switchboard.transport.security.EdgeGuard;
import org.switchboard.transport.security.EdgeSecurity;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The first handler of every stream connection (TCP, WebSocket): what keeps one connection from costing more than
 * its share, whatever it carries. An accepted connection from a banned source, or over the connection caps, is
 * closed before anything is read; a live one is registered as a flow, and closed when it stays silent (no message,
 * no keep-alive) for the idle timeout, keeps a message unfinished for the message timeout (a slow drip), or does not
 * read what is written to it for the write-stall timeout. The framing handler behind it reports messages and
 * unfinished ones.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final long NEVER = Long.MIN_VALUE;

    private final Inbound inbound;
    private final Flows flows;
    private final SipTransport transport;
    private final EdgeSecurity.Tcp tcp;
    /** Present for connections this node accepted: those are capped (the ones it opens itself are not). */
    private final Optional<ConnectionLimits> limits;
    /**
     * Whether any bytes read begin a message (WebSocket: its framing is Netty's, which tells us only of whole
     * frames); else the framer says when one begins ({@link #unfinished}).
     */
    private final boolean readsBeginMessages;
    /** The remote address counted against the caps (when it was), to be uncounted on close. */
    private Optional<InetAddress> counted = Optional.empty();
    private long lastActivity;
    private long pendingSince = NEVER;
    private long unwritableSince = NEVER;
    private ScheduledFuture<?> watchdog;

    ConnectionGuard(Inbound inbound, Flows flows, SipTransport transport, EdgeSecurity.Tcp tcp,
                    Optional<ConnectionLimits> limits, boolean readsBeginMessages) {
        this.inbound = inbound;
        this.flows = flows;
        this.transport = transport;
        this.tcp = tcp;
        this.limits = limits;
        this.readsBeginMessages = readsBeginMessages;
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
        // only accepted connections are capped: limits present means the peer opened it
        flows.register(ctx.channel(), transport, Inbound.peer(remote), limits.isPresent());
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
        if (readsBeginMessages && pendingSince == NEVER) {
            pendingSince = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        unwritableSince = ctx.channel().isWritable() ? NEVER : System.nanoTime();
        ctx.fireChannelWritabilityChanged();
    }

    /** A whole message (or keep-alive) arrived: the connection is not idle. */
    void active(long now) {
        lastActivity = now;
    }

    /** A whole frame arrived and nothing of another is known to be pending (WebSocket). */
    void completed(long now) {
        lastActivity = now;
        pendingSince = NEVER;
    }

    /**
     * After a read the framer parsed: {@code pending} whether part of a message is left over, {@code began} whether
     * that part began in this read (so its clock starts now).
     */
    void unfinished(boolean pending, boolean began, long now) {
        if (!pending) {
            pendingSince = NEVER;
        } else if (began) {
            pendingSince = now;
        }
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
            log.info("closing {} connection from {}: a message unfinished for more than {} ms", transport, remote,
                    tcp.messageTimeout().toMillis());
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
