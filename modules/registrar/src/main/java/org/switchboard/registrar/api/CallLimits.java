package org.switchboard.registrar.api;

import java.util.Optional;

import org.switchboard.transport.api.ClusterSerializable;

/**
 * An account's own limits against toll fraud; an empty one takes the cluster-wide default
 * ({@code switchboard.security.calls}). 0 means unlimited.
 *
 * @param maxConcurrent calls the account may have set up or answered at once
 * @param maxPerMinute  new calls the account may start in any 60 s
 */
public record CallLimits(Optional<Integer> maxConcurrent, Optional<Integer> maxPerMinute) implements ClusterSerializable {
    public static final CallLimits DEFAULTS = new CallLimits(Optional.empty(), Optional.empty());

    public CallLimits {
        if (maxConcurrent.filter(n -> n < 0).isPresent() || maxPerMinute.filter(n -> n < 0).isPresent()) {
            throw new IllegalArgumentException("call limits are 0 (unlimited) or positive");
        }
    }
}
