package org.switchboard.transport.api;

import java.util.Locale;

/**
 * The transport protocols a SIP message travels on. WS and WSS are SIP over WebSocket (RFC 7118), in clear and over
 * TLS: streams, reached only over a connection the client opened.
 */
public enum SipTransport {
    UDP, TCP, TLS, WS, WSS;

    public boolean isStream() {
        return this != UDP;
    }

    public boolean isWebSocket() {
        return this == WS || this == WSS;
    }

    /** From a Via transport or a URI {@code transport} parameter; UDP for anything unknown. */
    public static SipTransport fromWire(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "TCP" -> TCP;
            case "TLS" -> TLS;
            case "WS" -> WS;
            case "WSS" -> WSS;
            default -> UDP;
        };
    }
}
