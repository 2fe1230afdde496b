package org.switchboard.sip;

import java.util.List;

/** A parsed SIP request: method, Request-URI and version from the start line. */
public final class SipRequest extends SipMessage {
    private final String method;
    private final String requestUriText;
    private final SipUri requestUri;
    private final String version;
    private final int headersStart;

    SipRequest(byte[] bytes, String method, String requestUriText, SipUri requestUri, String version,
               int headersStart, List<HeaderField> headers, int bodyStart, int bodyLength) {
        super(bytes, headers, bodyStart, bodyLength);
        this.method = method;
        this.requestUriText = requestUriText;
        this.requestUri = requestUri;
        this.version = version;
        this.headersStart = headersStart;
    }

    public String method() {
        return method;
    }

    public String requestUriText() {
        return requestUriText;
    }

    /** The Request-URI, parsed once by {@link SipParser} (it checks its grammar before accepting the request). */
    public SipUri requestUri() {
        return requestUri;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public boolean isRequest() {
        return true;
    }

    @Override
    int headersStart() {
        return headersStart;
    }

    /** A response to this request with the headers RFC 3261 §8.2.6.2 says to copy. */
    public ResponseBuilder response(int code, String reason) {
        return new ResponseBuilder(this, code, reason);
    }
}
