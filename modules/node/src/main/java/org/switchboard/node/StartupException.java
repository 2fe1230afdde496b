package org.switchboard.node;

import java.util.List;

/**
 * Start-up cannot go on: what the operator is told, one line per problem, and the exit code (2 for a usage or
 * environment fault).
 */
public final class StartupException extends Exception {
    private final int exitCode;
    private final List<String> problems;

    public StartupException(int exitCode, String message) {
        this(exitCode, List.of(message));
    }

    public StartupException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.problems = List.of(message);
    }

    /** Several problems found at once (a configuration check), each its own line. */
    public StartupException(int exitCode, List<String> problems) {
        super(String.join("\n", problems));
        this.exitCode = exitCode;
        this.problems = List.copyOf(problems);
    }

    public int exitCode() {
        return exitCode;
    }

    public List<String> problems() {
        return problems;
    }
}
