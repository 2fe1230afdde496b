package org.switchboard.registrar.api;

import java.util.List;

import org.switchboard.transport.api.ClusterSerializable;

/**
 * The answer to {@link CheckCredentials}. There is no "no such user" outcome: an unknown user of a served domain
 * is challenged and refused exactly like a known one with a wrong password, so the answers cannot list accounts.
 *
 * @param challenges for {@link Outcome#CHALLENGE}: the Proxy-Authenticate header values to send with a 407
 * @param reason     for {@link Outcome#LIMITED}: which limit, for the 403's reason phrase; else empty
 */
public record CredentialsVerdict(Outcome outcome, List<String> challenges, String reason) implements ClusterSerializable {
    public enum Outcome {
        AUTHORISED,
        /** No, stale or replayed credentials: challenge (again). */
        CHALLENGE,
        /** Wrong credentials (wrong password, another user, no such user), malformed ones, or a disabled account. */
        FORBIDDEN,
        /** Authenticated, but the account is at one of its call limits (toll-fraud protection). */
        LIMITED
    }

    public CredentialsVerdict {
        challenges = List.copyOf(challenges);
    }

    public static CredentialsVerdict of(Outcome outcome) {
        return new CredentialsVerdict(outcome, List.of(), "");
    }
}
