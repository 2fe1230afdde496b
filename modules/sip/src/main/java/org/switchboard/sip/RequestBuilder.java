package org.switchboard.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Writes a new request (an ACK or CANCEL a proxy generates, a BYE it sends on its own) header by header. */
public final class RequestBuilder {
    private final String method;
    private final String requestUri;
    private final List<String> headers = new ArrayList<>(10);

    public RequestBuilder(Method method, String requestUri) {
        this.method = method.name();
        this.requestUri = requestUri;
    }

    /** {@link #RequestBuilder(Method, String)} by the method's token (case-sensitive, RFC 3261 §7.1). */
    public RequestBuilder(String method, String requestUri) {
        this(Method.of(method), requestUri);
    }

    /** Adds a header line, written with the name's {@link HeaderName#display display} spelling. */
    public RequestBuilder header(HeaderName name, String value) {
        return header(name.display(), value);
    }

    /** {@link #header(HeaderName, String)}, the line written with {@code wireName} exactly as given. */
    public RequestBuilder header(String wireName, String value) {
        headers.add(wireName + ": " + value);
        return this;
    }

    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder(512);
        sb.append(method).append(' ').append(requestUri).append(" SIP/2.0\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        sb.append("Content-Length: 0\r\n\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public SipRequest build() {
        return (SipRequest) ((ParseResult.Parsed) SipParser.parse(toBytes())).message();
    }
}
