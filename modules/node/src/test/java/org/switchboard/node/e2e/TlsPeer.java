package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server standing for a SIP device (the JDK's SSLServerSocket with the certificate of the context it is
 * given). Each connection is recorded as what it showed: "handshake failed: why", "clear text: ..." (a peer that
 * wrote SIP without TLS), or "sip: first line" after a good handshake.
 */
final class TlsPeer implements AutoCloseable {
    private final SSLServerSocket server;
    private final List<String> connections = Collections.synchronizedList(new ArrayList<>());

    private TlsPeer(SSLServerSocket server) {
        this.server = server;
    }

    static TlsPeer start(String host, SSLContext context) {
        try {
            SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
            server.bind(new InetSocketAddress(host, 0));
            TlsPeer peer = new TlsPeer(server);
            Thread acceptor = new Thread(peer::accept, "tls-peer");
            acceptor.setDaemon(true);
            acceptor.start();
            return peer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    List<String> connections() {
        synchronized (connections) {
            return List.copyOf(connections);
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(3000);
                try {
                    s.startHandshake();
                } catch (IOException e) {
                    String why = String.valueOf(e.getMessage());
                    connections.add((why.contains("plaintext") || why.contains("nrecognized SSL message")
                            ? "clear text: " : "handshake failed: ") + why);
                    continue;
                }
                byte[] buf = new byte[4096];
                try {
                    int n = s.getInputStream().read(buf);
                    String text = n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
                    connections.add("sip: " + text.lines().findFirst().orElse(""));
                } catch (SocketTimeoutException silent) {
                    connections.add("handshake ok, nothing sent");
                }
            } catch (IOException closed) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
