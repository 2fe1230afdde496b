package org.switchboard.sip;

import java.nio.charset.StandardCharsets;

/** A parsed SIP request: method, Request-URI and version from the start line. */
public final class SipRequest extends SipMessage {
    private final Method method;
    private final String version;
    private final int uriStart;
    private final int uriEnd;
    // Made on first use; benign races: each is an immutable value, the same whichever thread makes it.
    private String requestUriText;
    private SipUri requestUri;

    SipRequest(byte[] bytes, int[] index, int headersStart, int bodyStart, int bodyLength, Method method,
               String version, int uriStart, int uriEnd, SipUri parsedUri) {
        super(bytes, index, headersStart, bodyStart, bodyLength);
        this.method = method;
        this.version = version;
        this.uriStart = uriStart;
        this.uriEnd = uriEnd;
        this.requestUri = parsedUri;
    }

    /** The method token, e.g. {@code INVITE}; {@code methodType().name()}. */
    public String method() {
        return method.name();
    }

    /** The method (case-sensitive, RFC 3261 §7.1): a constant for the known ones, nothing allocated for them. */
    public Method methodType() {
        return method;
    }

    public String requestUriText() {
        String t = requestUriText;
        if (t == null) {
            t = new String(bytes(), uriStart, uriEnd - uriStart, StandardCharsets.UTF_8);
            requestUriText = t;
        }
        return t;
    }

    /** The Request-URI. {@link SipParser} checked its grammar before accepting the request; parsed on first use. */
    public SipUri requestUri() {
        SipUri u = requestUri;
        if (u == null) {
            u = SipUri.parse(requestUriText());
            requestUri = u;
        }
        return u;
    }

    /** {@code requestUriText().hashCode()}, allocating nothing when the Request-URI is ASCII. */
    public int requestUriHash() {
        return isAscii() ? hash(KeyScanner.range(uriStart, uriEnd)) : requestUriText().hashCode();
    }

    /** {@code requestUriText().contentEquals(text)}, allocating nothing when the Request-URI is ASCII. */
    public boolean requestUriEquals(CharSequence text) {
        return isAscii() ? rangeEquals(KeyScanner.range(uriStart, uriEnd), text) : requestUriText().contentEquals(text);
    }

    private boolean isAscii() {
        byte[] b = bytes();
        for (int i = uriStart; i < uriEnd; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public boolean isRequest() {
        return true;
    }

    /** A response to this request with the headers RFC 3261 §8.2.6.2 says to copy. */
    public ResponseBuilder response(int code, String reason) {
        return new ResponseBuilder(this, code, reason);
    }
}
