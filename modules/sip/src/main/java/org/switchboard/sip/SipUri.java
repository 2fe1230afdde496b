package org.switchboard.sip;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A SIP, SIPS or tel URI (RFC 3261 §19.1). Parsed from text, written back in canonical order.
 *
 * @param headers the URI headers after {@code ?}, verbatim, empty when absent
 */
public record SipUri(String scheme, Optional<String> user, Optional<String> password, String host, OptionalInt port,
                     Parameters params, String headers) {

    public static SipUri parse(String text) {
        String t = text.trim();
        int colon = t.indexOf(':');
        if (colon <= 0) {
            throw new SipParseException(0, "URI scheme");
        }
        String scheme = t.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = t.substring(colon + 1);
        if (scheme.equals("tel")) {
            int semi = rest.indexOf(';');
            String number = semi < 0 ? rest : rest.substring(0, semi);
            Parameters params = semi < 0 ? Parameters.EMPTY : Parameters.parse(rest.substring(semi));
            return new SipUri(scheme, Optional.of(number), Optional.empty(), "", OptionalInt.empty(), params, "");
        }
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            return new SipUri(scheme, Optional.empty(), Optional.empty(), rest, OptionalInt.empty(), Parameters.EMPTY, "");
        }
        String headers = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            headers = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userinfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int pc = userinfo.indexOf(':');
            if (pc >= 0) {
                password = Optional.of(userinfo.substring(pc + 1));
                userinfo = userinfo.substring(0, pc);
            }
            if (userinfo.isEmpty()) {
                throw new SipParseException(colon + 1, "user before '@'");
            }
            user = Optional.of(userinfo);
        }
        int semi = rest.indexOf(';');
        String hostport = semi < 0 ? rest : rest.substring(0, semi);
        Parameters params = semi < 0 ? Parameters.EMPTY : Parameters.parse(rest.substring(semi));
        HostPort hp = HostPort.parse(hostport);
        return new SipUri(scheme, user, password, hp.host(), hp.port(), params, headers);
    }

    public boolean isSip() {
        return scheme.equals("sip") || scheme.equals("sips");
    }

    /** The address-of-record form (RFC 3261 §10.3): scheme, user and lower-cased host; no port or parameters. */
    public String addressOfRecord() {
        return scheme + ":" + user.map(u -> u + "@").orElse("") + host.toLowerCase(Locale.ROOT);
    }

    /** The transport named by the {@code transport} parameter, upper-case; UDP when absent (TLS for sips). */
    public String transport() {
        return params.get("transport").map(t -> t.toUpperCase(Locale.ROOT))
                .orElse(scheme.equals("sips") ? "TLS" : "UDP");
    }

    public SipUri withParams(Parameters newParams) {
        return new SipUri(scheme, user, password, host, port, newParams, headers);
    }

    @Override
    public String toString() {
        if (scheme.equals("tel")) {
            return "tel:" + user.orElse("") + params;
        }
        if (!isSip()) {
            return scheme + ":" + host;
        }
        StringBuilder sb = new StringBuilder(64).append(scheme).append(':');
        user.ifPresent(u -> {
            sb.append(u);
            password.ifPresent(p -> sb.append(':').append(p));
            sb.append('@');
        });
        sb.append(host);
        port.ifPresent(p -> sb.append(':').append(p));
        sb.append(params);
        if (!headers.isEmpty()) {
            sb.append('?').append(headers);
        }
        return sb.toString();
    }
}
