package org.switchboard.sip;

import java.util.OptionalInt;

/** host[:port], where host may be an IPv6 reference in brackets. */
public record HostPort(String host, OptionalInt port) {
    public static HostPort parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new SipParseException(0, "host");
        }
        String host;
        String portText = null;
        if (t.charAt(0) == '[') {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new SipParseException(0, "']' closing an IPv6 reference");
            }
            host = t.substring(0, close + 1);
            if (close + 1 < t.length()) {
                if (t.charAt(close + 1) != ':') {
                    throw new SipParseException(close + 1, "':' before port");
                }
                portText = t.substring(close + 2);
            }
        } else {
            int c = t.indexOf(':');
            if (c >= 0 && t.indexOf(':', c + 1) >= 0) {
                // RFC 3261 §19.1.1 and RFC 5118 §4.2: an IPv6 address in a URI or Via must be an IPv6reference
                throw new SipParseException(0, "'[' and ']' around an IPv6 address");
            }
            host = c < 0 ? t : t.substring(0, c);
            portText = c < 0 ? null : t.substring(c + 1);
        }
        if (host.isEmpty()) {
            throw new SipParseException(0, "host");
        }
        if (portText == null) {
            return new HostPort(host, OptionalInt.empty());
        }
        return new HostPort(host, OptionalInt.of(parsePort(portText.trim())));
    }

    static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5) {
            throw new SipParseException(0, "port number");
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new SipParseException(i, "port digit");
            }
            port = port * 10 + (c - '0');
        }
        if (port > 65535) {
            throw new SipParseException(0, "port number up to 65535");
        }
        return port;
    }

    @Override
    public String toString() {
        return port.isPresent() ? host + ":" + port.getAsInt() : host;
    }
}
