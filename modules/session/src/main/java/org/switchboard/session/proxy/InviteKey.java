package org.switchboard.session.proxy;

import org.switchboard.sip.Via;

/**
 * An INVITE server transaction: the top Via's branch and sent-by, which its CANCEL and the ACK of a non-2xx final
 * share (RFC 3261 §17.2.3).
 */
public record InviteKey(String branch, String sentBy) {
    public static InviteKey of(Via top) {
        return new InviteKey(top.branch().orElse(""), top.sentBy().toString());
    }

    @Override
    public String toString() {
        return branch + "|" + sentBy;
    }
}
