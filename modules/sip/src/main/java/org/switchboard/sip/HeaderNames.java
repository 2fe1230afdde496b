package org.switchboard.sip;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Header names as the parser indexes them: lower-case long forms, compact forms expanded (RFC 3261 §7.3.3). */
public final class HeaderNames {
    public static final String VIA = "via";
    public static final String FROM = "from";
    public static final String TO = "to";
    public static final String CALL_ID = "call-id";
    public static final String CSEQ = "cseq";
    public static final String CONTACT = "contact";
    public static final String EXPIRES = "expires";
    public static final String MAX_FORWARDS = "max-forwards";
    public static final String ROUTE = "route";
    public static final String RECORD_ROUTE = "record-route";
    public static final String CONTENT_LENGTH = "content-length";
    public static final String CONTENT_TYPE = "content-type";
    public static final String AUTHORIZATION = "authorization";
    public static final String WWW_AUTHENTICATE = "www-authenticate";
    public static final String PROXY_AUTHORIZATION = "proxy-authorization";
    public static final String PROXY_AUTHENTICATE = "proxy-authenticate";
    public static final String MIN_EXPIRES = "min-expires";

    private static final Map<String, String> COMPACT = Map.ofEntries(
            Map.entry("i", CALL_ID), Map.entry("m", CONTACT), Map.entry("e", "content-encoding"),
            Map.entry("l", CONTENT_LENGTH), Map.entry("c", CONTENT_TYPE), Map.entry("f", FROM),
            Map.entry("s", "subject"), Map.entry("k", "supported"), Map.entry("t", TO), Map.entry("v", VIA),
            Map.entry("r", "refer-to"), Map.entry("b", "referred-by"), Map.entry("o", "event"),
            Map.entry("u", "allow-events"), Map.entry("x", "session-expires"), Map.entry("a", "accept-contact"),
            Map.entry("j", "reject-contact"), Map.entry("d", "request-disposition"), Map.entry("y", "identity"),
            Map.entry("n", "identity-info"));

    /** Headers whose values are comma-separated lists (RFC 3261 §7.3.1): several values may share one line. */
    private static final Set<String> LIST_HEADERS = Set.of(VIA, CONTACT, ROUTE, RECORD_ROUTE, "path", "allow",
            "supported", "require", "proxy-require", "unsupported", "accept", "accept-encoding", "accept-language",
            "allow-events", "content-encoding", "in-reply-to", "service-route");

    private HeaderNames() {
    }

    /** The canonical (lower-case, long) form of a header name as written on the wire. */
    public static String canonical(String wireName) {
        String lower = wireName.toLowerCase(Locale.ROOT);
        return lower.length() == 1 ? COMPACT.getOrDefault(lower, lower) : lower;
    }

    public static boolean isList(String canonicalName) {
        return LIST_HEADERS.contains(canonicalName);
    }
}
