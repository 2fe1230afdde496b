package org.switchboard.session.api;

import org.switchboard.transport.api.Envelope;

/** A request (other than REGISTER) or a response of this Call-ID, as received at the edge. */
public record HandleSip(Envelope envelope) implements CallCommand {
}
