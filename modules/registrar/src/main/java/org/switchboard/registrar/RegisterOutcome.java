package org.switchboard.registrar;

import java.util.List;

/** What a REGISTER leads to: the events to persist first, then the response to send. */
record RegisterOutcome(List<RegistrationEvent> events, byte[] response) {
    static RegisterOutcome reply(byte[] response) {
        return new RegisterOutcome(List.of(), response);
    }
}
