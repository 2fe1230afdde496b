package org.switchboard.transport.api;

/**
 * Marker for every message and event that crosses the network or enters the journal. Bound to Akka's Jackson
 * JSON serializer in the node's configuration, so the journal stays readable with plain SQL.
 */
public interface ClusterSerializable {
}
