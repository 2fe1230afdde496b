package org.switchboard.sip;

import java.nio.charset.StandardCharsets;
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
        int badScheme = schemeError(t, colon);
        if (badScheme >= 0) {
            throw new SipParseException(badScheme, "URI scheme: a letter, then letters, digits, '+', '-' or '.'");
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
        int blank = indexOfWhitespace(rest);
        if (blank >= 0) {
            throw new SipParseException(colon + 1 + blank, "no white space inside a SIP URI");
        }
        // The user part may itself hold '?', ';' and ',' (RFC 3261 user-unreserved, RFC 4475 §3.1.1.2), but no
        // '@' may appear unescaped anywhere else in a SIP URI: so split off the userinfo first, then look for
        // the parameters and the headers in what follows it.
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        int at = rest.indexOf('@');
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
        int hostStart = colon + 1 + (at >= 0 ? at + 1 : 0);
        String headers = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            headers = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int semi = rest.indexOf(';');
        String hostport = semi < 0 ? rest : rest.substring(0, semi);
        Parameters params = semi < 0 ? Parameters.EMPTY : Parameters.parse(rest.substring(semi));
        HostPort hp;
        try {
            hp = HostPort.parse(hostport);
        } catch (SipParseException e) {
            throw new SipParseException(hostStart + e.error().offset(), e.error().expected());
        }
        return new SipUri(scheme, user, password, hp.host(), hp.port(), params, headers);
    }

    /**
     * Decodes {@code %HH} escapes (RFC 3261 §19.1.2) once, never recursively ({@code %2541} stays {@code %41}),
     * and reads the octets as UTF-8. For comparing user parts and parameters, which RFC 3261 §19.1.4 compares
     * unescaped; a {@code %} not followed by two hex digits is kept as written.
     */
    public static String unescape(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[in.length];
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            int hi = i + 2 < in.length && in[i] == '%' ? Character.digit(in[i + 1], 16) : -1;
            int lo = hi >= 0 ? Character.digit(in[i + 2], 16) : -1;
            if (lo >= 0) {
                out[n++] = (byte) (hi * 16 + lo);
                i += 2;
            } else {
                out[n++] = in[i];
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** The offset of the first character that breaks {@code scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )}. */
    private static int schemeError(String t, int colon) {
        for (int i = 0; i < colon; i++) {
            char c = t.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                return i;
            }
        }
        return -1;
    }

    public boolean isSip() {
        return scheme.equals("sip") || scheme.equals("sips");
    }

    /**
     * The address-of-record key (RFC 3261 §10.3 step 5): scheme, the user with escapes decoded (case kept), the host
     * in lower case and the port if written; no parameters, headers or password. Registration entities are keyed
     * by it and Request-URIs looked up by it, so {@code sip:%41lice@EXAMPLE.com;transport=udp} and
     * {@code sip:Alice@example.com} are one AOR, {@code sip:alice@example.com} another (see {@link UriIdentity}).
     */
    public String addressOfRecord() {
        return UriIdentity.aorKey(this);
    }

    /**
     * Whether this URI and {@code other} are equal by RFC 3261 §19.1.4: scheme, user and password exactly (escapes
     * of unreserved characters decoded), host case-insensitive, port present or absent alike, the parameters
     * user, ttl, method, maddr and transport in both or neither and other parameters compared only when in both,
     * URI headers all compared. Not an equivalence relation ({@code ;a=1} and {@code ;a=2} each equal a URI
     * without {@code a}), so never a key: {@link #addressOfRecord()} is the key.
     */
    public boolean equivalent(SipUri other) {
        return UriIdentity.equivalent(this, other);
    }

    /**
     * The port a request to this URI goes to when none is written (RFC 3263 §4.2 without DNS SRV): 5061 for sips or
     * transport=tls, 5060 otherwise. For recognising our own addresses, not for comparing URIs (there, an absent
     * port is not 5060).
     */
    public int portOrDefault() {
        return port.orElse(scheme.equals("sips") || transport().equals("TLS") ? 5061 : 5060);
    }

    /**
     * Whether the host part names {@code address} (a host name or an IP address, IPv6 with or without brackets):
     * case-insensitive, IPv6 in any of its spellings; never by DNS.
     */
    public boolean hostIs(String address) {
        String a = address.startsWith("[") || address.indexOf(':') < 0 ? address : "[" + address + "]";
        return UriIdentity.hostKey(host).equals(UriIdentity.hostKey(a));
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
