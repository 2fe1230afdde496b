package org.switchboard.transport.api;

import java.util.Locale;

/** The transport protocols a SIP message travels on. */
public enum SipTransport {
    UDP, TCP, TLS;

    public boolean isStream() {
        return this != UDP;
    }

    /** From a Via transport or a URI {@code transport} parameter; UDP for anything unknown. */
    public static SipTransport fromWire(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "TCP" -> TCP;
            case "TLS" -> TLS;
            default -> UDP;
        };
    }
}
