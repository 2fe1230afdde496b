package org.switchboard.transport.api;

import java.util.Optional;

/**
 * Where a message goes: a transport and address, and for stream transports the flow (connection) to prefer.
 * A missing or dead flow makes the transport open a new connection to the address.
 */
public record Destination(SipTransport transport, Peer peer, Optional<String> flow) implements ClusterSerializable {
    public static Destination udp(String host, int port) {
        return new Destination(SipTransport.UDP, new Peer(host, port), Optional.empty());
    }
}
