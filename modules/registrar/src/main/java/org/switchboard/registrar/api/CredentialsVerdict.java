package org.switchboard.registrar.api;

import java.util.List;

import org.switchboard.transport.api.ClusterSerializable;

/**
 * The answer to {@link CheckCredentials}.
 *
 * @param challenges for {@link Outcome#CHALLENGE}: the Proxy-Authenticate header values to send with a 407
 */
public record CredentialsVerdict(Outcome outcome, List<String> challenges) implements ClusterSerializable {
    public enum Outcome {
        AUTHORISED,
        /** No, stale, replayed or wrong credentials: challenge again. */
        CHALLENGE,
        /** Authenticated as another user, or the account is disabled. */
        FORBIDDEN,
        /** No such account: the caller claims a user of ours that does not exist. */
        UNKNOWN
    }

    public CredentialsVerdict {
        challenges = List.copyOf(challenges);
    }
}
