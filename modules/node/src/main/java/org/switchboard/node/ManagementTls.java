package org.switchboard.node;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import com.typesafe.config.Config;

import akka.http.javadsl.ConnectionContext;
import akka.http.javadsl.HttpsConnectionContext;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * HTTPS on the management port (switchboard.management.tls), optionally with client certificates: the port's
 * certificate and key, and the CA whose certificates identify operators and their tools. The CA is the only one
 * trusted for clients (not the JDK's public roots), so a client certificate the handshake accepted is one this CA
 * issued, and the admin API takes it in place of the bearer token.
 */
final class ManagementTls {
    static final String KEY = "switchboard.management.tls";
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** Whether a client must, may or never show a certificate. */
    enum ClientAuth { NONE, WANT, NEED }

    private final SSLContext context;
    private final ClientAuth clientAuth;

    private ManagementTls(SSLContext context, ClientAuth clientAuth) {
        this.context = context;
        this.clientAuth = clientAuth;
    }

    /** The port's TLS when {@code switchboard.management.tls.enabled} is on, its files read and checked now. */
    static Optional<ManagementTls> fromConfig(Config sb) throws StartupException {
        Config tls = sb.getConfig("management.tls");
        if (!tls.getBoolean("enabled")) {
            return Optional.empty();
        }
        if (sb.getBoolean("cluster.bootstrap.enabled")) {
            // Akka Management's bootstrap asks the other nodes' contact points over plain HTTP
            throw new StartupException(2, KEY + ".enabled cannot be combined with switchboard.cluster.bootstrap.enabled: "
                    + "cluster bootstrap reaches the other nodes' management ports over plain HTTP; use seed nodes");
        }
        Path certificate = file(tls, "certificate");
        Path privateKey = file(tls, "private-key");
        ClientAuth clientAuth = clientAuth(tls);
        Optional<Path> clientCa = tls.getString("client-ca").isEmpty() ? Optional.empty()
                : Optional.of(file(tls, "client-ca"));
        if (clientAuth != ClientAuth.NONE && clientCa.isEmpty()) {
            throw new StartupException(2, KEY + ".client-ca must name the PEM file of the CA of client certificates when "
                    + KEY + ".client-auth is " + clientAuth.name().toLowerCase(Locale.ROOT) + " (or set it to none)");
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile())
                    .sslProvider(SslProvider.JDK).protocols(PROTOCOLS);
            clientCa.ifPresent(ca -> builder.trustManager(ca.toFile()));
            return Optional.of(new ManagementTls(((JdkSslContext) builder.build()).context(), clientAuth));
        } catch (Exception e) {
            throw new StartupException(2, KEY + ": cannot use " + certificate + " and " + privateKey
                    + clientCa.map(ca -> " with client CA " + ca).orElse("") + ": " + e.getMessage());
        }
    }

    ClientAuth clientAuth() {
        return clientAuth;
    }

    /** What Akka Management serves with: a new server engine per connection, asking for a client certificate as set. */
    HttpsConnectionContext httpsContext() {
        return ConnectionContext.httpsServer(() -> {
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            engine.setEnabledProtocols(PROTOCOLS);
            if (clientAuth == ClientAuth.NEED) {
                engine.setNeedClientAuth(true);
            } else if (clientAuth == ClientAuth.WANT) {
                engine.setWantClientAuth(true);
            }
            return engine;
        });
    }

    private static ClientAuth clientAuth(Config tls) throws StartupException {
        String value = tls.getString("client-auth");
        try {
            return ClientAuth.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StartupException(2, KEY + ".client-auth must be none, want or need, not '" + value + "'");
        }
    }

    private static Path file(Config tls, String name) throws StartupException {
        return ClusterTls.pemFile(tls, KEY, name);
    }
}
