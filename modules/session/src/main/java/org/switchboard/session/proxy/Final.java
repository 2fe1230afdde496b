package org.switchboard.session.proxy;

import java.util.Arrays;

import org.switchboard.sip.SipResponse;

/** A final response a fork ended with (as received, our Via still on top), kept for the best-response choice. */
public record Final(int status, byte[] bytes) {
    public static Final of(SipResponse response) {
        return new Final(response.status(), response.bytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Final f && f.status == status && Arrays.equals(f.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * status + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Final[" + status + "]";
    }
}
