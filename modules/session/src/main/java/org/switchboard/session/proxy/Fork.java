package org.switchboard.session.proxy;

/**
 * One fork of a proxied INVITE as the proxy core sees it (its client transaction is the executor's).
 *
 * @param finalStatus 0 while no final response came
 * @param provisional a provisional response came: the fork may be cancelled (RFC 3261 §9.1)
 * @param cancelled   the proxy cancelled it (a CANCEL goes once it has rung)
 */
public record Fork(BranchId id, String target, int finalStatus, boolean provisional, boolean cancelled) {
    public boolean pending() {
        return finalStatus == 0;
    }

    Fork ended(int status) {
        return new Fork(id, target, status, provisional, cancelled);
    }

    Fork rang() {
        return new Fork(id, target, finalStatus, true, cancelled);
    }

    Fork withCancel() {
        return new Fork(id, target, finalStatus, provisional, true);
    }
}
