package org.switchboard.admin.cli;

/**
 * Why a command could not do its work, and the exit code that says so: 1 when the node refused or could not be
 * reached, 2 when the command line (or what it points at) does not say how to reach a node. The message is
 * printed as is after {@code switchboard-admin: }, so it must never contain the token.
 */
final class AdminException extends RuntimeException {
    static final int REFUSED = 1;
    static final int USAGE = 2;

    private final int exitCode;

    AdminException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static AdminException refused(String message) {
        return new AdminException(REFUSED, message);
    }

    static AdminException usage(String message) {
        return new AdminException(USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
