package org.switchboard.node;

/** Start-up cannot go on: one line for the operator and the exit code (2 for a usage or environment fault). */
public final class StartupException extends Exception {
    private final int exitCode;

    public StartupException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public StartupException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
