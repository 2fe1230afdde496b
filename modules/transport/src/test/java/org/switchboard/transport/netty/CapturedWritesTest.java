package org.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.hep.SipCapture;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;

/**
 * The capture of what a node writes on connections, on real sockets: each SIP message with the channel's own address
 * and the peer's, and nothing of what is not SIP (CRLF keep-alives, WebSocket control frames); datagrams: {@link
 * DatagramWriterTest}.
 */
class CapturedWritesTest {
    private static final String SIP = "SIP/2.0 200 OK\r\nCall-ID: c1\r\nContent-Length: 0\r\n\r\n";
    private static final String BYE = "BYE sip:a@127.0.0.1 SIP/2.0\r\nCall-ID: c1\r\nContent-Length: 0\r\n\r\n";

    private record Seen(String message, SipTransport transport, InetSocketAddress source, InetSocketAddress destination) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final SipCapture capture = (message, transport, source, destination) ->
            seen.add(new Seen(new String(message, StandardCharsets.US_ASCII), transport, source, destination));
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Test
    void onAConnectionTheSipIsSeenBeforeItsWebSocketFrameAndAPingOrAPongIsNot() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Channel ws = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new WebSocket13FrameEncoder(false), new CapturedWrites(capture, SipTransport.WS));
                        }
                    })
                    .connect(server.getLocalSocketAddress()).sync().channel();
            try (Socket accepted = server.accept()) {
                accepted.setSoTimeout(5_000);
                ws.writeAndFlush(new PingWebSocketFrame()).sync();
                ws.writeAndFlush(new TextWebSocketFrame(SIP)).sync();
                ws.writeAndFlush(Unpooled.wrappedBuffer("\r\n".getBytes(StandardCharsets.US_ASCII))).sync();
                ws.writeAndFlush(Unpooled.wrappedBuffer(BYE.getBytes(StandardCharsets.US_ASCII))).sync();
                readUntil(accepted.getInputStream(), BYE);
                InetSocketAddress local = (InetSocketAddress) ws.localAddress();
                InetSocketAddress remote = (InetSocketAddress) ws.remoteAddress();
                assertEquals(List.of(new Seen(SIP, SipTransport.WS, local, remote), new Seen(BYE, SipTransport.WS, local, remote)),
                        seen);
            }
            ws.close().sync();
        }
    }

    private static void readUntil(InputStream in, String end) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!got.toString(StandardCharsets.ISO_8859_1).endsWith(end)) {
            int n = in.read(buf);
            if (n < 0) {
                throw new AssertionError("closed before " + end + ": " + got);
            }
            got.write(buf, 0, n);
        }
    }
}
