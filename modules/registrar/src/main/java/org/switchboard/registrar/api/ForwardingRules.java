package org.switchboard.registrar.api;

import java.util.Optional;

import org.switchboard.transport.api.ClusterSerializable;

/**
 * Where calls to an AOR go instead, and when (call forwarding). Each target is a SIP URI.
 *
 * @param unconditional   every call goes there; the AOR's devices do not ring
 * @param onBusy          when the callee answers busy (486, 600)
 * @param onNoAnswer      when no device answers within {@code noAnswerSeconds}
 * @param onUnavailable   when no device is bound, or every device fails (480, 408, no response)
 */
public record ForwardingRules(Optional<String> unconditional, Optional<String> onBusy, Optional<String> onNoAnswer,
                              int noAnswerSeconds, Optional<String> onUnavailable) implements ClusterSerializable {
    public static final ForwardingRules NONE =
            new ForwardingRules(Optional.empty(), Optional.empty(), Optional.empty(), 0, Optional.empty());

    public ForwardingRules {
        if (onNoAnswer.isPresent() && noAnswerSeconds <= 0) {
            throw new IllegalArgumentException("forwarding on no answer needs a positive number of seconds");
        }
    }
}
