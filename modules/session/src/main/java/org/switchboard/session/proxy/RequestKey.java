package org.switchboard.session.proxy;

import org.switchboard.sip.Via;

/**
 * A non-INVITE server transaction (RFC 3261 §17.2.3): the top Via's branch and sent-by, and the method (a CANCEL
 * shares its target's branch; only its method tells them apart).
 */
public record RequestKey(String branch, String sentBy, String method) {
    public static RequestKey of(Via top, String method) {
        return new RequestKey(top.branch().orElse(""), top.sentBy().toString(), method);
    }

    @Override
    public String toString() {
        return branch + "|" + sentBy + "|" + method;
    }
}
