package org.switchboard.sip;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * When two URIs name the same thing (docs/architecture.md, "URI identity"). Two rules, for two purposes:
 * <ul>
 * <li>{@link #equivalent}: RFC 3261 §19.1.4, for comparing a URI with another (digest uri and Request-URI, ...).
 *     Quoted rules, in the order of the RFC, each next to the code that implements it.</li>
 * <li>{@link #aorKey}: RFC 3261 §10.3 step 5, the canonical form of an address-of-record used as a key (the
 *     Registration entity's id, the registrar lookup of a Request-URI): "all URI parameters MUST be removed
 *     (including the user-param), and any escaped characters MUST be converted to their unescaped form".</li>
 * </ul>
 * Pure functions of their arguments: no DNS ("An IP address that is the result of a DNS lookup of a host name does
 * not match that host name").
 */
final class UriIdentity {
    /** RFC 2396 reserved: an escaped reserved character is not the character itself. */
    private static final String RESERVED = ";/?:@&=+$,";
    /** RFC 2396 mark: with the alphanumerics, the unreserved characters. */
    private static final String MARK = "-_.!~*'()";
    /** RFC 3261 user-unreserved: the reserved characters a user part may hold unescaped. */
    private static final String USER_UNRESERVED = "&=+$,;?/";
    /** "A user, ttl, or method uri-parameter appearing in only one URI never matches" (and maddr, transport). */
    private static final Set<String> MUST_BE_IN_BOTH = Set.of("user", "ttl", "method", "maddr", "transport");

    private UriIdentity() {
    }

    static boolean equivalent(SipUri a, SipUri b) {
        if (!a.isSip() || !b.isSip()) {
            return !a.isSip() && !b.isSip() && a.scheme().equals(b.scheme()) && otherSchemeKey(a).equals(otherSchemeKey(b));
        }
        // "A SIP and SIPS URI are never equivalent." (the parser lower-cases the scheme)
        if (!a.scheme().equals(b.scheme())) {
            return false;
        }
        // "Comparison of the userinfo of SIP and SIPS URIs is case-sensitive." "A URI omitting the user component
        // will not match a URI that includes one." The same for the password.
        if (!a.user().map(u -> escapes(u, false)).equals(b.user().map(u -> escapes(u, false)))
                || !a.password().map(p -> escapes(p, false)).equals(b.password().map(p -> escapes(p, false)))) {
            return false;
        }
        // host case-insensitive; "a URI omitting the optional port component will not match a URI explicitly
        // declaring port 5060"
        if (!hostKey(a.host()).equals(hostKey(b.host())) || !a.port().equals(b.port())) {
            return false;
        }
        return paramsMatch(a.params(), b.params()) && headers(a.headers()).equals(headers(b.headers()));
    }

    /**
     * "Any uri-parameter appearing in both URIs must match. A user, ttl, or method uri-parameter appearing in only
     * one URI never matches, even if it contains the default value. A URI that includes an maddr parameter will not
     * match a URI that contains no maddr parameter. All other uri-parameters appearing in only one URI are ignored"
     * — and transport, which the rule on default values names with them. Names and values case-insensitive.
     */
    private static boolean paramsMatch(Parameters a, Parameters b) {
        Map<String, List<String>> mine = byName(a);
        Map<String, List<String>> theirs = byName(b);
        return oneSideMatches(mine, theirs) && oneSideMatches(theirs, mine);
    }

    private static boolean oneSideMatches(Map<String, List<String>> mine, Map<String, List<String>> theirs) {
        for (Map.Entry<String, List<String>> p : mine.entrySet()) {
            List<String> other = theirs.get(p.getKey());
            if (other == null ? MUST_BE_IN_BOTH.contains(p.getKey()) : !other.equals(p.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Each parameter's values in canonical form, by canonical name, in the order written. A name written twice
     * (the grammar does not allow it, a peer may still send it) keeps both values, so that a URI always matches
     * itself and only a URI with the same values.
     */
    private static Map<String, List<String>> byName(Parameters params) {
        Map<String, List<String>> out = new HashMap<>();
        for (Param p : params.list()) {
            out.computeIfAbsent(escapes(p.name(), false).toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                    .add(escapes(p.value().orElse(""), false).toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /**
     * "URI header components are never ignored. Any present header component MUST be present in both URIs and
     * match"; "the ordering of parameters and header fields is not significant". Names fold case; values are
     * compared exactly (as most header values of RFC 3261 §20 are), escapes canonical.
     */
    private static List<String> headers(String headers) {
        if (headers.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String h : headers.split("&", -1)) {
            int eq = h.indexOf('=');
            String name = eq < 0 ? h : h.substring(0, eq);
            String value = eq < 0 ? "" : h.substring(eq + 1);
            out.add(escapes(name, false).toLowerCase(Locale.ROOT) + "=" + escapes(value, false));
        }
        out.sort(null);
        return out;
    }

    /**
     * The address-of-record key of RFC 3261 §10.3: scheme, user with every escape decoded (then written in one
     * canonical way: what a user part may not hold unescaped is escaped again, hex in upper case), host in lower
     * case, and the port as written; no parameters, no headers. The password is left out: a credential is not part
     * of an identity and must not become an entity id. Case-sensitive in the user, as RFC 3261 §19.1.4 says.
     */
    static String aorKey(SipUri u) {
        if (!u.isSip()) {
            return u.scheme() + ":" + u.user().map(x -> x + "@").orElse("") + u.host().toLowerCase(Locale.ROOT);
        }
        StringBuilder sb = new StringBuilder(48).append(u.scheme()).append(':');
        u.user().ifPresent(user -> sb.append(escapes(user, true)).append('@'));
        sb.append(hostKey(u.host()));
        u.port().ifPresent(p -> sb.append(':').append(p));
        return sb.toString();
    }

    /**
     * One canonical spelling of a URI component, so that equal components are equal strings. Unreserved
     * characters are always written as themselves ("characters other than those in the reserved set are
     * equivalent to their %HH encoding"); anything else outside the URI alphabet is always escaped, hex upper case.
     * For comparison ({@code decodeReserved} false) a reserved character keeps its form, written or escaped, since
     * the two differ; for the §10.3 key every escape is decoded and only what a user part cannot hold is escaped.
     */
    static String escapes(String text, boolean decodeReserved) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(in.length);
        for (int i = 0; i < in.length; i++) {
            int b = in[i] & 0xFF;
            boolean escaped = false;
            if (b == '%' && i + 2 < in.length && Character.digit(in[i + 1], 16) >= 0 && Character.digit(in[i + 2], 16) >= 0) {
                b = Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16);
                i += 2;
                escaped = true;
            }
            boolean reserved = b < 0x80 && RESERVED.indexOf(b) >= 0;
            if (isUnreserved(b)) {
                out.append((char) b);
            } else if (reserved && (decodeReserved ? USER_UNRESERVED.indexOf(b) >= 0 : !escaped)) {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out.toString();
    }

    private static boolean isUnreserved(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || (b < 0x80 && MARK.indexOf(b) >= 0);
    }

    /**
     * A host as compared: lower case (host names are case-insensitive); an IPv6 reference in its one textual form
     * ({@code [2001:DB8::1]} and {@code [2001:db8:0:0:0:0:0:1]} are one address). Bracketed text is only ever read
     * as an IPv6 literal, never looked up.
     */
    static String hostKey(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.length() > 2 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']') {
            try {
                InetAddress a = InetAddress.getByName(h);
                if (a instanceof Inet6Address v6) {
                    return "[" + rfc5952(v6.getAddress()) + "]";
                }
            } catch (UnknownHostException | RuntimeException e) {
                return h; // not a valid literal: compared as written
            }
        }
        return h;
    }

    /** RFC 5952 §4: lower-case hex, no leading zeros, the longest run of two or more zero groups (the first) as "::". */
    private static String rfc5952(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[2 * i] & 0xFF) << 8 | (a[2 * i + 1] & 0xFF);
        }
        int best = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                best = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == best) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** tel and other schemes: tel numbers without visual separators (RFC 3966 §4); anything else as written. */
    private static String otherSchemeKey(SipUri u) {
        if (u.scheme().equals("tel")) {
            String number = u.user().orElse("").replaceAll("[-.()]", "").toLowerCase(Locale.ROOT);
            List<String> params = new ArrayList<>();
            u.params().list().forEach(p -> params.add(p.name().toLowerCase(Locale.ROOT) + "="
                    + escapes(p.value().orElse(""), false).toLowerCase(Locale.ROOT)));
            params.sort(null);
            return number + params;
        }
        return u.host();
    }
}
