package org.switchboard.transport.api;

/**
 * A {@link Send} for a flow, passed on by the transport node that got it to the one that holds the flow. The
 * owner writes it on the connection or answers that the flow is gone; it never passes it on again, so a
 * disagreement between nodes about who owns a flow cannot make a message go round.
 */
public record PassedOn(Send send) implements TransportCommand {
}
