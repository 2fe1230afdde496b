package org.switchboard.transport.api;

import java.util.Optional;

import akka.actor.typed.ActorRef;

/**
 * Finds a transport node's send path for a message an entity originates on its own (a BYE when a session timer
 * runs out), when no inbound message gives one to answer through.
 */
@FunctionalInterface
public interface TransportLocator {
    Optional<ActorRef<TransportCommand>> any();

    TransportLocator NONE = Optional::empty;
}
