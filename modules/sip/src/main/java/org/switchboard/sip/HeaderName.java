package org.switchboard.sip;

import java.nio.charset.StandardCharsets;

/**
 * A header name, canonical from birth: {@code v}, {@code VIA} and {@code Via} are one header (RFC 3261 §7.3.1:
 * names are case-insensitive; §7.3.3: compact forms). Two names are equal when their {@link #key() keys} (the
 * lower-case long form) are; {@link #display()} is the spelling this stack writes, e.g. {@code Call-ID},
 * {@code WWW-Authenticate}, {@code CSeq}.
 *
 * <p>The names this stack knows are interned: {@link #of} returns the constant below for any spelling of one,
 * found through a static table without allocating, so a lookup by name costs what a String lookup did. Other
 * names are kept with the spelling they were given (for writing) and are not interned: a peer choosing header
 * names must not grow a table here.
 */
public final class HeaderName {
    /** Open addressing by {@link #hash}; a power of two well above the number of known names. */
    private static final HeaderName[] TABLE = new HeaderName[512];
    /** The long form of each compact form, by its lower-case letter. */
    private static final HeaderName[] COMPACT = new HeaderName[128];
    /** The interned name of each {@link HeaderIds} id, so a parsed line's name costs no allocation. */
    private static final HeaderName[] BY_ID = new HeaderName[128];

    // RFC 3261 §20, in its order, then the extensions this stack reads or writes. `true` marks the headers whose
    // values are comma-separated lists (RFC 3261 §7.3.1): several values may share one line.
    public static final HeaderName ACCEPT = known("Accept", true);
    public static final HeaderName ACCEPT_ENCODING = known("Accept-Encoding", true);
    public static final HeaderName ACCEPT_LANGUAGE = known("Accept-Language", true);
    public static final HeaderName ALERT_INFO = known("Alert-Info", false);
    public static final HeaderName ALLOW = known("Allow", true);
    public static final HeaderName AUTHENTICATION_INFO = known("Authentication-Info", false);
    public static final HeaderName AUTHORIZATION = known("Authorization", false);
    public static final HeaderName CALL_ID = known("Call-ID", false, 'i');
    public static final HeaderName CALL_INFO = known("Call-Info", false);
    public static final HeaderName CONTACT = known("Contact", true, 'm');
    public static final HeaderName CONTENT_DISPOSITION = known("Content-Disposition", false);
    public static final HeaderName CONTENT_ENCODING = known("Content-Encoding", true, 'e');
    public static final HeaderName CONTENT_LANGUAGE = known("Content-Language", false);
    public static final HeaderName CONTENT_LENGTH = known("Content-Length", false, 'l');
    public static final HeaderName CONTENT_TYPE = known("Content-Type", false, 'c');
    public static final HeaderName CSEQ = known("CSeq", false);
    public static final HeaderName DATE = known("Date", false);
    public static final HeaderName ERROR_INFO = known("Error-Info", false);
    public static final HeaderName EXPIRES = known("Expires", false);
    public static final HeaderName FROM = known("From", false, 'f');
    public static final HeaderName IN_REPLY_TO = known("In-Reply-To", true);
    public static final HeaderName MAX_FORWARDS = known("Max-Forwards", false);
    public static final HeaderName MIN_EXPIRES = known("Min-Expires", false);
    public static final HeaderName MIME_VERSION = known("MIME-Version", false);
    public static final HeaderName ORGANIZATION = known("Organization", false);
    public static final HeaderName PRIORITY = known("Priority", false);
    public static final HeaderName PROXY_AUTHENTICATE = known("Proxy-Authenticate", false);
    public static final HeaderName PROXY_AUTHORIZATION = known("Proxy-Authorization", false);
    public static final HeaderName PROXY_REQUIRE = known("Proxy-Require", true);
    public static final HeaderName RECORD_ROUTE = known("Record-Route", true);
    public static final HeaderName REPLY_TO = known("Reply-To", false);
    public static final HeaderName REQUIRE = known("Require", true);
    public static final HeaderName RETRY_AFTER = known("Retry-After", false);
    public static final HeaderName ROUTE = known("Route", true);
    public static final HeaderName SERVER = known("Server", false);
    public static final HeaderName SUBJECT = known("Subject", false, 's');
    public static final HeaderName SUPPORTED = known("Supported", true, 'k');
    public static final HeaderName TIMESTAMP = known("Timestamp", false);
    public static final HeaderName TO = known("To", false, 't');
    public static final HeaderName UNSUPPORTED = known("Unsupported", true);
    public static final HeaderName USER_AGENT = known("User-Agent", false);
    public static final HeaderName VIA = known("Via", true, 'v');
    public static final HeaderName WARNING = known("Warning", false);
    public static final HeaderName WWW_AUTHENTICATE = known("WWW-Authenticate", false);
    // extensions with compact forms (RFC 3515, 3892, 6665, 4028, 3841, 4474)
    public static final HeaderName REFER_TO = known("Refer-To", false, 'r');
    public static final HeaderName REFERRED_BY = known("Referred-By", false, 'b');
    public static final HeaderName EVENT = known("Event", false, 'o');
    public static final HeaderName ALLOW_EVENTS = known("Allow-Events", true, 'u');
    public static final HeaderName SESSION_EXPIRES = known("Session-Expires", false, 'x');
    public static final HeaderName ACCEPT_CONTACT = known("Accept-Contact", false, 'a');
    public static final HeaderName REJECT_CONTACT = known("Reject-Contact", false, 'j');
    public static final HeaderName REQUEST_DISPOSITION = known("Request-Disposition", false, 'd');
    public static final HeaderName IDENTITY = known("Identity", false, 'y');
    public static final HeaderName IDENTITY_INFO = known("Identity-Info", false, 'n');
    // other extensions this stack reads or writes (Path 3327, Service-Route 3608, Min-SE 4028, Reason 3326,
    // Diversion 5806, Flow-Timer 5626, RAck/RSeq 3262, Subscription-State 6665, P-Asserted-Identity 3325, ...)
    public static final HeaderName PATH = known("Path", true);
    public static final HeaderName SERVICE_ROUTE = known("Service-Route", true);
    public static final HeaderName MIN_SE = known("Min-SE", false);
    public static final HeaderName REASON = known("Reason", false);
    public static final HeaderName DIVERSION = known("Diversion", false);
    public static final HeaderName FLOW_TIMER = known("Flow-Timer", false);
    public static final HeaderName RACK = known("RAck", false);
    public static final HeaderName RSEQ = known("RSeq", false);
    public static final HeaderName SUBSCRIPTION_STATE = known("Subscription-State", false);
    public static final HeaderName P_ASSERTED_IDENTITY = known("P-Asserted-Identity", false);
    public static final HeaderName P_PREFERRED_IDENTITY = known("P-Preferred-Identity", false);
    public static final HeaderName PRIVACY = known("Privacy", false);
    public static final HeaderName REPLACES = known("Replaces", false);
    public static final HeaderName HISTORY_INFO = known("History-Info", false);

    static {
        for (int id = 1; id < HeaderIds.count(); id++) {
            if (BY_ID[id] == null) {
                throw new ExceptionInInitializerError("no HeaderName for parser id " + id + ": " + HeaderIds.name(id));
            }
        }
    }

    private final String key;
    private final String display;
    private final int hash;
    private final int id;
    private final boolean list;
    private final boolean known;

    private HeaderName(String key, String display, int id, boolean list, boolean known) {
        this.key = key;
        this.display = display;
        this.hash = key.hashCode();
        this.id = id;
        this.list = list;
        this.known = known;
    }

    private static HeaderName known(String display, boolean list) {
        String key = lowerAscii(display);
        HeaderName name = new HeaderName(key, display, HeaderIds.ofCanonical(key), list, true);
        int slot = slot(name.hash);
        while (TABLE[slot] != null) {
            slot = (slot + 1) & (TABLE.length - 1);
        }
        TABLE[slot] = name;
        if (name.id != HeaderIds.OTHER) {
            BY_ID[name.id] = name;
        }
        return name;
    }

    private static HeaderName known(String display, boolean list, char compact) {
        HeaderName name = known(display, list);
        COMPACT[compact] = name;
        return name;
    }

    /**
     * The name for any spelling of it: long or compact form, any ASCII case. A name this stack knows comes back
     * as its constant, without allocating.
     *
     * @throws IllegalArgumentException when {@code name} is not an RFC 3261 token (empty, white space, ':', ...)
     */
    public static HeaderName of(String name) {
        int len = name.length();
        if (len == 0) {
            throw new IllegalArgumentException("empty header name");
        }
        if (len == 1) {
            char c = name.charAt(0); // (c | 0x20) is a lower-case letter only when c is a letter
            if (c < 128 && COMPACT[c | 0x20] != null) {
                return COMPACT[c | 0x20];
            }
        }
        int h = 0;
        boolean lower = true;
        for (int i = 0; i < len; i++) {
            char c = name.charAt(i);
            if (!Lexer.isTokenChar(c)) {
                throw new IllegalArgumentException("header name is not a token: \"" + name + "\"");
            }
            lower &= c < 'A' || c > 'Z';
            h = 31 * h + lowerAscii(c);
        }
        HeaderName known = lookup(name, h);
        if (known != null) {
            return known;
        }
        return new HeaderName(lower ? name : lowerAscii(name), name, HeaderIds.OTHER, false, false);
    }

    /** The name of a parsed header line with no parser id: its bytes are a token, as the parser checked. */
    static HeaderName ofWire(byte[] data, int from, int to) {
        return of(new String(data, from, to - from, StandardCharsets.US_ASCII));
    }

    /** The interned name of a {@link HeaderIds} id (not OTHER). */
    static HeaderName ofId(int id) {
        return BY_ID[id];
    }

    /** The known name spelled {@code name} in any case (long form only), or null; no validation, no allocation. */
    private static HeaderName lookup(String name, int h) {
        for (int slot = slot(h); ; slot = (slot + 1) & (TABLE.length - 1)) {
            HeaderName candidate = TABLE[slot];
            if (candidate == null) {
                return null;
            }
            if (candidate.hash == h && equalsIgnoreAsciiCase(candidate.key, name)) {
                return candidate;
            }
        }
    }

    /** The lower-case long form, e.g. {@code call-id}: what equality and hashing use. */
    public String key() {
        return key;
    }

    /** The spelling to write: the canonical one for a known name ({@code Call-ID}), else as it was given. */
    public String display() {
        return display;
    }

    /** Whether values of this header are comma-separated lists that {@link SipMessage#headers} splits. */
    public boolean isList() {
        return list;
    }

    /** Whether this is one of the constants above (any spelling of it). */
    public boolean isKnown() {
        return known;
    }

    /** The parser's id for this name ({@link HeaderIds#OTHER} when it has none). */
    int id() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof HeaderName n && n.hash == hash && n.key.equals(key);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The display spelling, so a name can be written straight into a header line. */
    @Override
    public String toString() {
        return display;
    }

    private static int slot(int h) {
        return (h ^ (h >>> 9)) & (TABLE.length - 1);
    }

    private static char lowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c | 0x20) : c;
    }

    private static String lowerAscii(String s) {
        char[] out = new char[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = lowerAscii(s.charAt(i));
        }
        return new String(out);
    }

    /** Only ASCII letters fold: String.equalsIgnoreCase would also match e.g. U+0130 with 'i'. */
    private static boolean equalsIgnoreAsciiCase(String lowerKey, String name) {
        if (lowerKey.length() != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (lowerAscii(name.charAt(i)) != lowerKey.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
