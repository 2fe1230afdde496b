package org.switchboard.sip;

import java.util.List;

/** A parsed SIP response: status code and reason phrase from the status line. */
public final class SipResponse extends SipMessage {
    private final String version;
    private final int status;
    private final String reason;
    private final int headersStart;

    SipResponse(byte[] bytes, String version, int status, String reason, int headersStart,
                List<HeaderField> headers, int bodyStart, int bodyLength) {
        super(bytes, headers, bodyStart, bodyLength);
        this.version = version;
        this.status = status;
        this.reason = reason;
        this.headersStart = headersStart;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public boolean isProvisional() {
        return status < 200;
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public boolean isRequest() {
        return false;
    }

    @Override
    int headersStart() {
        return headersStart;
    }
}
