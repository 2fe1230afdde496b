package org.switchboard.transport.api;

/** Send these bytes (one whole SIP message) to the destination. Fire and forget, like the wire itself. */
public record Send(byte[] bytes, Destination destination) implements TransportCommand {
}
