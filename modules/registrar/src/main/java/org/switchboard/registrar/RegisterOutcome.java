package org.switchboard.registrar;

import java.util.List;
import java.util.Map;

import org.switchboard.registrar.api.ContactBinding;

/**
 * What a REGISTER leads to: the events to persist first, the refreshes kept in memory only (see the durability
 * rule on {@link Registration}), then the response to send.
 */
record RegisterOutcome(List<RegistrationEvent> events, Map<String, ContactBinding> memoryRefreshes, byte[] response) {
    static RegisterOutcome reply(byte[] response) {
        return new RegisterOutcome(List.of(), Map.of(), response);
    }
}
