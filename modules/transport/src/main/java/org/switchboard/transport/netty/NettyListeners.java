package org.switchboard.transport.netty;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.spi.SelectorProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.switchboard.transport.Edge;
import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.TransportSettings;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.FlowOwners;
import org.switchboard.transport.WebSocketSettings;
import org.switchboard.transport.api.InboundRouter;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.api.TransportCommand;
import org.switchboard.transport.dns.DnsSettings;
import org.switchboard.transport.hep.SipCapture;
import org.switchboard.transport.security.ConnectionLimits;
import org.switchboard.transport.security.EdgeGuard;
import org.switchboard.transport.security.EdgeSecurity;
import org.switchboard.transport.tls.TlsContexts;

import akka.actor.typed.ActorRef;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;

/**
 * The Netty side of the transport: one UDP socket and one TCP listener on the configured address, a TLS
 * listener on the same host at the TLS port when one is configured (its connections are framed by the same
 * StreamHandler, behind an SniHandler that picks the certificate by the client's server name), and the
 * WebSocket listeners (WS, WSS) on their own ports of the same host when configured.
 */
public final class NettyListeners {
    private final TransportSettings settings;
    private final WebSocketSettings webSockets;
    private final EdgeSecurity security;
    private final ConnectionLimits connectionLimits;
    private final Inbound inbound;
    private final Flows flows;
    private final InboundRouter router;
    private final FlowOwners owners;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup streamGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EdgeCounters counters;
    /** How often certificate files are checked for a renewal, at most (when a connection comes or goes). */
    private static final Duration TLS_CHECK = Duration.ofSeconds(2);
    private final TlsContexts tls;
    private volatile Channel udp;
    /** Writes on {@link #udp}'s socket from the sending thread; set once it is bound. */
    private volatile DatagramWriter udpWriter;
    private volatile Channel tcp;
    private volatile Channel tlsListener;
    private final List<Channel> webSocketListeners = new CopyOnWriteArrayList<>();
    private volatile Outbound outbound;
    private final DnsSettings dns;
    private volatile HostNameSends hostNames;
    private final Optional<SipCapture> capture;

    /**
     * @param nodeId the id this transport node's flow tokens carry ({@link org.switchboard.transport.api.FlowTokens})
     * @param owners the other transport nodes, by the ids their flow tokens carry
     * @param capture sees every SIP message received and sent (SIP capture, HEP), when on
     */
    public NettyListeners(TransportSettings settings, WebSocketSettings webSockets, EdgeSecurity security,
                          EdgeGuard guard, Edge edge, InboundRouter router, EdgeCounters counters, DnsSettings dns,
                          String nodeId, FlowOwners owners, Optional<SipCapture> capture) {
        this.settings = settings;
        this.capture = capture;
        this.webSockets = webSockets;
        this.dns = dns;
        this.flows = new Flows(nodeId);
        this.router = router;
        this.owners = owners;
        this.security = security;
        this.counters = counters;
        this.inbound = new Inbound(edge, guard, router, counters, capture);
        this.tls = TlsContexts.load(settings.tls().validate(), TLS_CHECK, Clock.systemUTC());
        this.connectionLimits = new ConnectionLimits(security.tcp().maxConnections(),
                security.tcp().maxConnectionsPerAddress(), security.trusted());
    }

    public void bind(ActorRef<TransportCommand> sendPath) throws InterruptedException {
        inbound.sendPath(sendPath);
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        try {
            // Netty reads the socket; DatagramWriter writes on it from the senders' threads
            DatagramChannel udpSocket = SelectorProvider.provider().openDatagramChannel();
            udp = new Bootstrap().group(group).channelFactory(() -> new NioDatagramChannel(udpSocket))
                    .option(ChannelOption.SO_RCVBUF, settings.udpReceiveBuffer())
                    .option(ChannelOption.SO_SNDBUF, settings.udpReceiveBuffer())
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new io.netty.channel.FixedRecvByteBufAllocator(settings.maxDatagram()))
                    .handler(new ChannelInitializer<NioDatagramChannel>() {
                        @Override
                        protected void initChannel(NioDatagramChannel ch) {
                            ch.pipeline().addLast(new DatagramHandler(inbound, () -> udpWriter));
                        }
                    })
                    .bind(address).sync().channel();
            udpWriter = new DatagramWriter(udpSocket, (InetSocketAddress) udp.localAddress(), counters, capture);
            tcp = new ServerBootstrap().group(streamGroup).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, streamWaterMark())
                    .childHandler(streamInitializer(Optional.of(connectionLimits)))
                    .bind(address).sync().channel();
            if (settings.tls().enabled()) {
                address = new InetSocketAddress(settings.host(), settings.tls().port());
                tlsListener = new ServerBootstrap().group(streamGroup).channel(NioServerSocketChannel.class)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, streamWaterMark())
                        .childHandler(tlsServerInitializer())
                        .bind(address).sync().channel();
            }
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
                .resolver(org.switchboard.transport.dns.SipResolver.forConnections(dns))
                .handler(streamInitializer(Optional.empty()));
        Peer local = new Peer(settings.host(), ((InetSocketAddress) udp.localAddress()).getPort());
        FailedRequests failures = new FailedRequests(router, () -> sendPath, local, counters);
        outbound = new Outbound(() -> udpWriter, flows, connector, d -> connector.clone().handler(tlsClientInitializer(d)),
                counters, owners, failures, settings.udpMtuThreshold());
        hostNames = new HostNameSends(dns, address.getAddress() instanceof java.net.Inet6Address, () -> udpWriter, flows,
                connector, counters, router, failures);
        inbound.hostNames(hostNames);
    }

    /** Accepted TLS connections: capped like TCP ones; the certificate chosen by SNI, the default without it. */
    private ChannelInitializer<SocketChannel> tlsServerInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ConnectionGuard guard = new ConnectionGuard(inbound, flows, SipTransport.TLS, security.tcp(),
                        Optional.of(connectionLimits), false);
                ch.pipeline().addLast(guard, new SniHandler(tls.sniMapping()),
                        new StreamHandler(inbound, guard, settings.framing(), SipTransport.TLS));
                captureWrites(ch.pipeline(), SipTransport.TLS); // behind the SslHandler: the SIP in clear
            }
        };
    }

    /**
     * A connection this node opens to a TLS destination: the peer's chain checked against the JDK's trust store and
     * the configured bundle, and its certificate against the destination's host name (RFC 5922 §7.2, the HTTPS
     * rules: DNS names, or an IP address SAN for an IP literal), which is sent as SNI unless it is an IP literal.
     */
    private ChannelInitializer<SocketChannel> tlsClientInitializer(Destination d) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                SslHandler ssl = tls.client().newHandler(ch.alloc(), d.peer().host(), d.peer().port());
                SSLEngine engine = ssl.engine();
                SSLParameters params = engine.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                if (!NetUtil.isValidIpV4Address(d.peer().host()) && !NetUtil.isValidIpV6Address(d.peer().host())) {
                    params.setServerNames(List.of(new SNIHostName(d.peer().host())));
                }
                engine.setSSLParameters(params);
                ConnectionGuard guard = new ConnectionGuard(inbound, flows, SipTransport.TLS, security.tcp(),
                        Optional.empty(), false);
                ch.pipeline().addLast(guard, ssl, new StreamHandler(inbound, guard, settings.framing(), SipTransport.TLS));
                captureWrites(ch.pipeline(), SipTransport.TLS);
            }
        };
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
                            connectionLimits, tls, () -> (InetSocketAddress) tcp.localAddress(), capture))
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
                captureWrites(ch.pipeline(), SipTransport.TCP);
            }
        };
    }

    /** SIP capture of what this channel sends, as the last handler: it sees every write first. */
    private void captureWrites(ChannelPipeline pipeline, SipTransport transport) {
        if (capture.isPresent()) {
            pipeline.addLast("capture", new CapturedWrites(capture.get(), transport));
        }
    }

    public void send(Send send) {
        Outbound out = outbound;
        HostNameSends names = hostNames;
        if (names != null && names.handles(send.destination())) {
            names.send(send); // a host name: looked up (RFC 3263) and sent off this thread
        } else if (out != null) {
            out.send(send);
        }
    }

    /** The TLS listener's address, when TLS is on. */
    public Optional<InetSocketAddress> tlsAddress() {
        return Optional.ofNullable(tlsListener).map(ch -> (InetSocketAddress) ch.localAddress());
    }

    /** A send another transport node passed on for a flow of this one: written here, or failed here. */
    public void sendPassedOn(Send send) {
        Outbound out = outbound;
        if (out != null) {
            out.send(send, false);
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
        if (tlsListener != null) {
            tlsListener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        webSocketListeners.forEach(ws -> ws.close().awaitUninterruptibly(2, TimeUnit.SECONDS));
        flows.closeAll();
        if (hostNames != null) {
            hostNames.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        streamGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
