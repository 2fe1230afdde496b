package org.switchboard.session.proxy;

import org.switchboard.sip.Method;

/**
 * A forwarded in-dialog non-INVITE request: our branch and its method, as its responses' top Via and CSeq name it.
 * Our branch is derived from the upstream one, so a retransmission from upstream maps to the same key.
 */
public record ForwardedKey(BranchId branch, Method method) {
}
