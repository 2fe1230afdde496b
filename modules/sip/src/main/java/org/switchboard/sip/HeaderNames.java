package org.switchboard.sip;

import java.util.Locale;

/**
 * The header names the rest of the stack used before {@link HeaderName}: the same constants (now typed), and the
 * String helpers. New code uses {@link HeaderName} directly; these stay so call sites move over one at a time.
 */
public final class HeaderNames {
    public static final HeaderName VIA = HeaderName.VIA;
    public static final HeaderName FROM = HeaderName.FROM;
    public static final HeaderName TO = HeaderName.TO;
    public static final HeaderName CALL_ID = HeaderName.CALL_ID;
    public static final HeaderName CSEQ = HeaderName.CSEQ;
    public static final HeaderName CONTACT = HeaderName.CONTACT;
    public static final HeaderName EXPIRES = HeaderName.EXPIRES;
    public static final HeaderName MAX_FORWARDS = HeaderName.MAX_FORWARDS;
    public static final HeaderName ROUTE = HeaderName.ROUTE;
    public static final HeaderName RECORD_ROUTE = HeaderName.RECORD_ROUTE;
    public static final HeaderName CONTENT_LENGTH = HeaderName.CONTENT_LENGTH;
    public static final HeaderName CONTENT_TYPE = HeaderName.CONTENT_TYPE;
    public static final HeaderName AUTHORIZATION = HeaderName.AUTHORIZATION;
    public static final HeaderName WWW_AUTHENTICATE = HeaderName.WWW_AUTHENTICATE;
    public static final HeaderName PROXY_AUTHORIZATION = HeaderName.PROXY_AUTHORIZATION;
    public static final HeaderName PROXY_AUTHENTICATE = HeaderName.PROXY_AUTHENTICATE;
    public static final HeaderName MIN_EXPIRES = HeaderName.MIN_EXPIRES;

    private HeaderNames() {
    }

    /**
     * The canonical (lower-case, long) form of a header name as written on the wire: {@code HeaderName.of(wireName)
     * .key()}, except that it accepts any text (a name that is not a token comes back lower-cased, as before).
     */
    public static String canonical(String wireName) {
        try {
            return HeaderName.of(wireName).key();
        } catch (IllegalArgumentException notAToken) {
            return wireName.toLowerCase(Locale.ROOT);
        }
    }

    /** Whether values of the header with this canonical name are comma-separated lists (RFC 3261 §7.3.1). */
    public static boolean isList(String canonicalName) {
        try {
            return HeaderName.of(canonicalName).isList();
        } catch (IllegalArgumentException notAToken) {
            return false;
        }
    }
}
