package org.switchboard.transport.api;

/**
 * Route this message into the cluster again, as if it had just arrived. An entity that is being moved to another
 * node sends it so that it wakes up there: sharding holds the message back until the entity's new home is known.
 */
public record Redeliver(Envelope envelope) implements TransportCommand {
}
