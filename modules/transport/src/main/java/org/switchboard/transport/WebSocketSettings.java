package org.switchboard.transport;

import java.io.File;
import java.util.Optional;

import javax.net.ssl.SSLException;

import com.typesafe.config.Config;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/**
 * The SIP-over-WebSocket listeners (RFC 7118), from {@code switchboard.sip.ws} and {@code switchboard.sip.wss}: a
 * port of 0 leaves a listener off (the default). WSS is WebSocket behind TLS 1.2 or 1.3 with the PEM certificate
 * chain and PKCS#8 private key configured under {@code sip.wss}, or, when those are empty, the SIP TLS listener's
 * ({@code sip.tls}).
 */
public record WebSocketSettings(int wsPort, int wssPort, Optional<String> certificate, Optional<String> privateKey) {
    public static final WebSocketSettings OFF = new WebSocketSettings(0, 0, Optional.empty(), Optional.empty());

    public WebSocketSettings {
        if (wssPort != 0 && (certificate.isEmpty() || privateKey.isEmpty())) {
            throw new IllegalArgumentException("switchboard.sip.wss.port is set: sip.wss.certificate and "
                    + "sip.wss.private-key (or sip.tls's) must name a PEM certificate chain and its PKCS#8 private key");
        }
    }

    public static WebSocketSettings fromConfig(Config sip) {
        Config ws = sip.getConfig("ws");
        Config wss = sip.getConfig("wss");
        Config tls = sip.getConfig("tls");
        return new WebSocketSettings(ws.getInt("port"), wss.getInt("port"),
                nonEmpty(wss.getString("certificate")).or(() -> nonEmpty(tls.getString("certificate"))),
                nonEmpty(wss.getString("private-key")).or(() -> nonEmpty(tls.getString("private-key"))));
    }

    /** The TLS context of the WSS listener, when it is on; a missing or unreadable file fails start-up. */
    public Optional<SslContext> wssContext() {
        if (wssPort == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(SslContextBuilder.forServer(new File(certificate.orElseThrow()),
                    new File(privateKey.orElseThrow())).protocols("TLSv1.3", "TLSv1.2").build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load the WSS certificate " + certificate.orElseThrow()
                    + " and its private key: " + e.getMessage(), e);
        }
    }

    private static Optional<String> nonEmpty(String s) {
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}
