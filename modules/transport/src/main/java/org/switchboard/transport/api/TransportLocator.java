package org.switchboard.transport.api;

import java.util.Optional;

import akka.actor.typed.ActorRef;

/**
 * Finds a transport node's send path for a message an entity originates on its own (a BYE when a session timer
 * runs out), when no inbound message gives one to answer through; and tells an entity when the send path it kept
 * from an earlier message belongs to a transport node that is gone.
 */
@FunctionalInterface
public interface TransportLocator {
    Optional<ActorRef<TransportCommand>> any();

    /**
     * Whether {@code sendPath} belongs to a transport node that was listed and is no longer (unreachable, or left
     * the cluster): what is told to it is lost. A locator that knows nothing of the cluster loses nothing.
     */
    default boolean lost(ActorRef<TransportCommand> sendPath) {
        return false;
    }

    /**
     * {@code sendPath}, or a live transport node's in its place when it is {@link #lost}: a transaction outlives
     * the node its request came through (a 2xx the callee sends again after that node was killed must still
     * reach the caller). While the node lives, its own path is kept: a caller behind NAT has a binding to that
     * node's address only. A TCP or TLS flow of the lost node is gone with it either way.
     */
    default ActorRef<TransportCommand> orLive(ActorRef<TransportCommand> sendPath) {
        return lost(sendPath) ? any().orElse(sendPath) : sendPath;
    }

    TransportLocator NONE = Optional::empty;
}
