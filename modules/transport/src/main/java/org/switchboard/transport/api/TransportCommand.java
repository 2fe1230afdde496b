package org.switchboard.transport.api;

/** What a transport node's send-path actor accepts. */
public interface TransportCommand extends ClusterSerializable {
}
