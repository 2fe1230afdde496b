package org.switchboard.sip;

import java.nio.charset.StandardCharsets;

/** A parsed SIP response: status code and reason phrase from the status line. */
public final class SipResponse extends SipMessage {
    private final String version;
    private final int status;
    private final int reasonStart;
    private final int reasonEnd;
    private String reason; // made on first use; a benign race on an immutable String

    SipResponse(byte[] bytes, int[] index, int headersStart, int bodyStart, int bodyLength, String version,
                int status, int reasonStart, int reasonEnd) {
        super(bytes, index, headersStart, bodyStart, bodyLength);
        this.version = version;
        this.status = status;
        this.reasonStart = reasonStart;
        this.reasonEnd = reasonEnd;
    }

    public int status() {
        return status;
    }

    public String reason() {
        String r = reason;
        if (r == null) {
            r = new String(bytes(), reasonStart, reasonEnd - reasonStart, StandardCharsets.UTF_8);
            reason = r;
        }
        return r;
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
}
