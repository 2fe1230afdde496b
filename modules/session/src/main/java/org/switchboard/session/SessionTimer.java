package org.switchboard.session;

import java.util.OptionalInt;

import org.switchboard.sip.HeaderName;
import org.switchboard.sip.SipMessage;

/** RFC 4028 values: Session-Expires ({@code x}) and Min-SE, read from a request or response. */
final class SessionTimer {
    private SessionTimer() {
    }

    /** The delta-seconds of Session-Expires, when present. */
    static OptionalInt sessionExpires(SipMessage m) {
        return m.header(HeaderName.SESSION_EXPIRES).map(v -> {
            int semi = v.indexOf(';');
            return OptionalInt.of(SipMessage.parseDelta(semi < 0 ? v : v.substring(0, semi)));
        }).orElse(OptionalInt.empty());
    }

    static OptionalInt minSe(SipMessage m) {
        return m.header(HeaderName.MIN_SE).map(v -> {
            int semi = v.indexOf(';');
            return OptionalInt.of(SipMessage.parseDelta(semi < 0 ? v : v.substring(0, semi)));
        }).orElse(OptionalInt.empty());
    }

    /**
     * When the session runs out if nobody refreshes it: RFC 4028 §10 has the refresher send its refresh by half
     * the interval, and the other side end the session at the interval minus a little; the proxy waits the whole
     * interval, so it never tears down a call a UA still considers alive.
     */
    static long expiresAt(long now, int sessionExpires) {
        return sessionExpires <= 0 ? 0 : now + sessionExpires * 1000L;
    }
}
