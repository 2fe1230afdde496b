package org.switchboard.session.proxy;

/** The branch parameter of a Via the proxy added: one client transaction (a fork, a forwarded request). */
public record BranchId(String value) {
    @Override
    public String toString() {
        return value;
    }
}
