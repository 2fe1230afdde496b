package org.switchboard.transport.netty;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.switchboard.transport.Edge;
import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.TransportSettings;
import org.switchboard.transport.WebSocketSettings;
import org.switchboard.transport.api.InboundRouter;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.api.TransportCommand;
import org.switchboard.transport.security.ConnectionLimits;
import org.switchboard.transport.security.EdgeGuard;
import org.switchboard.transport.security.EdgeSecurity;

import akka.actor.typed.ActorRef;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;

/**
 * The Netty side of the transport: one UDP socket and one TCP listener on the configured address, and the
 * WebSocket listeners (WS, WSS) on their own ports of the same host when configured.
 */
public final class NettyListeners {
    /** Above the kernel's send buffer (sip.udp-receive-buffer), what the UDP socket may queue before writes drop. */
    private static final WriteBufferWaterMark UDP_WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);
    private final TransportSettings settings;
    private final WebSocketSettings webSockets;
    private final EdgeSecurity security;
    private final ConnectionLimits connectionLimits;
    private final Inbound inbound;
    private final Flows flows = new Flows();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup streamGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EdgeCounters counters;
    private volatile Channel udp;
    private volatile Channel tcp;
    private final List<Channel> webSocketListeners = new CopyOnWriteArrayList<>();
    private volatile Outbound outbound;

    public NettyListeners(TransportSettings settings, WebSocketSettings webSockets, EdgeSecurity security,
                          EdgeGuard guard, Edge edge, InboundRouter router, EdgeCounters counters) {
        this.settings = settings;
        this.webSockets = webSockets;
        this.security = security;
        this.counters = counters;
        this.inbound = new Inbound(edge, guard, router, counters);
        this.connectionLimits = new ConnectionLimits(security.tcp().maxConnections(),
                security.tcp().maxConnectionsPerAddress(), security.trusted());
    }

    public void bind(ActorRef<TransportCommand> sendPath) throws InterruptedException {
        inbound.sendPath(sendPath);
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        try {
            udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .option(ChannelOption.SO_RCVBUF, settings.udpReceiveBuffer())
                    .option(ChannelOption.SO_SNDBUF, settings.udpReceiveBuffer())
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UDP_WATER_MARK)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new io.netty.channel.FixedRecvByteBufAllocator(settings.maxDatagram()))
                    .handler(new DatagramHandler(inbound))
                    .bind(address).sync().channel();
            tcp = new ServerBootstrap().group(streamGroup).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, streamWaterMark())
                    .childHandler(streamInitializer(Optional.of(connectionLimits)))
                    .bind(address).sync().channel();
            bindWebSocket(webSockets.wsPort(), Optional.empty());
            bindWebSocket(webSockets.wssPort(), webSockets.wssContext());
        } catch (InterruptedException e) {
            close();
            throw e;
        } catch (Exception e) {
            // Netty rethrows the socket's checked BindException undeclared
            close();
            if (e instanceof PortInUseException p) {
                throw p;
            }
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new PortInUseException(address, e);
            }
            throw new IllegalStateException("cannot bind SIP listeners on " + address, e);
        }
        Bootstrap connector = new Bootstrap().group(streamGroup).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, streamWaterMark())
                .handler(streamInitializer(Optional.empty()));
        outbound = new Outbound(() -> udp, flows, connector, counters);
    }

    /** A WebSocket listener (WSS when {@code tls} is present) on its port of the SIP host; port 0: none. */
    private void bindWebSocket(int port, Optional<SslContext> tls) throws InterruptedException {
        if (port == 0) {
            return;
        }
        InetSocketAddress address = new InetSocketAddress(settings.host(), port);
        try {
            webSocketListeners.add(new ServerBootstrap().group(streamGroup).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, streamWaterMark())
                    .childHandler(new WebSocketInitializer(inbound, flows, settings.framing(), security.tcp(),
                            connectionLimits, tls, () -> (InetSocketAddress) tcp.localAddress()))
                    .bind(address).sync().channel());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new PortInUseException(address, e); // names the WebSocket port, not the SIP one
            }
            throw e;
        }
    }

    private WriteBufferWaterMark streamWaterMark() {
        return new WriteBufferWaterMark(security.tcp().writeBufferLow(), security.tcp().writeBufferHigh());
    }

    /** Accepted connections are capped by {@code limits}; the ones this node opens itself are not. */
    private ChannelInitializer<SocketChannel> streamInitializer(Optional<ConnectionLimits> limits) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ConnectionGuard guard = new ConnectionGuard(inbound, flows, SipTransport.TCP, security.tcp(), limits,
                        false);
                ch.pipeline().addLast(guard, new StreamHandler(inbound, guard, settings.framing(), SipTransport.TCP));
            }
        };
    }

    public void send(Send send) {
        Outbound out = outbound;
        if (out != null) {
            out.send(send);
        }
    }

    public Channel udpChannel() {
        return udp;
    }

    public void close() {
        if (udp != null) {
            udp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (tcp != null) {
            tcp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        webSocketListeners.forEach(ws -> ws.close().awaitUninterruptibly(2, TimeUnit.SECONDS));
        flows.closeAll();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        streamGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
