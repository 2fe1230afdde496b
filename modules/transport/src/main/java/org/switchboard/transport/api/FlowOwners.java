package org.switchboard.transport.api;

import java.util.Optional;

import akka.actor.typed.ActorRef;

/**
 * Which live transport node owns a flow (RFC 5626 §5: a flow is reachable from any edge of the cluster, not only
 * the one that accepted it). A flow token starts with its node's id ({@link FlowTokens}); the node module maps
 * the ids of the cluster's live transport nodes to their send paths, so the transport never depends on it.
 */
@FunctionalInterface
public interface FlowOwners {
    /** The send path of the live transport node with this id; empty when none is (it died, or never was). */
    Optional<ActorRef<TransportCommand>> owner(String nodeId);

    /** A node alone: no other transport node owns anything. */
    FlowOwners NONE = id -> Optional.empty();
}
