package org.switchboard.registrar.api;

import org.switchboard.transport.api.Envelope;

/** A REGISTER request for this AOR, as received; the entity answers it through the envelope's transport. */
public record HandleRegister(Envelope envelope) implements RegistrationCommand {
}
