package org.switchboard.sip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a response to a request as RFC 3261 §8.2.6.2 says: Via lines, From, Call-ID and CSeq copied, To copied
 * with a tag added when the response is not 100 and the request had none.
 */
public final class ResponseBuilder {
    private final SipRequest request;
    private final int status;
    private final String reason;
    private final List<String> extra = new ArrayList<>(4);
    private Optional<String> toTag = Optional.empty();
    private byte[] body = new byte[0];
    private String contentType = "";

    ResponseBuilder(SipRequest request, int status, String reason) {
        if (status < 100 || status > 699) {
            throw new IllegalArgumentException("status " + status);
        }
        this.request = request;
        this.status = status;
        this.reason = reason.replace('\r', ' ').replace('\n', ' ');
        this.toTag = Optional.empty();
    }

    /** The tag to put on To when the request's To has none (ignored for 100). */
    public ResponseBuilder toTag(String tag) {
        this.toTag = Optional.of(tag);
        return this;
    }

    /** Adds a header line after the copied ones, written with the name's {@link HeaderName#display display} spelling. */
    public ResponseBuilder header(HeaderName name, String value) {
        return header(name.display(), value);
    }

    /** {@link #header(HeaderName, String)}, the line written with {@code wireName} exactly as given. */
    public ResponseBuilder header(String wireName, String value) {
        extra.add(wireName + ": " + value);
        return this;
    }

    public ResponseBuilder body(String type, byte[] content) {
        this.contentType = type;
        this.body = content.clone();
        return this;
    }

    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder(512);
        sb.append("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        for (HeaderField h : request.headerFields()) {
            if (h.name().equals(HeaderName.VIA)) {
                sb.append("Via: ").append(request.value(h)).append("\r\n");
            }
        }
        String to = request.header(HeaderName.TO).orElseThrow();
        if (status > 100 && toTag.isPresent() && request.to().tag().isEmpty()) {
            to = to + ";tag=" + toTag.get();
        }
        sb.append("From: ").append(request.header(HeaderName.FROM).orElseThrow()).append("\r\n");
        sb.append("To: ").append(to).append("\r\n");
        sb.append("Call-ID: ").append(request.callId()).append("\r\n");
        sb.append("CSeq: ").append(request.header(HeaderName.CSEQ).orElseThrow()).append("\r\n");
        for (String h : extra) {
            sb.append(h).append("\r\n");
        }
        if (!contentType.isEmpty()) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
        }
        sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }

    /**
     * The response, parsed. Throws {@link SipParseException} when the copied headers do not parse: a request of
     * another SIP version is accepted with its header grammar unchecked (for the 505), so its To or Via may be
     * anything (found by SipParserFuzzTest; it used to be a ClassCastException).
     */
    public SipResponse build() {
        ParseResult result = SipParser.parse(toBytes());
        if (result instanceof ParseResult.Malformed m) {
            throw new SipParseException(m.error().offset(), m.error().expected());
        }
        return (SipResponse) ((ParseResult.Parsed) result).message();
    }
}
