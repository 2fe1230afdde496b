package org.switchboard.transport.api;

import java.util.Optional;

import io.netty.util.NetUtil;

/**
 * Where a message goes: a transport and address, and for stream transports the flow (connection) to prefer.
 * A missing or dead flow makes the transport open a new connection to the address. When the host is a name,
 * {@code lookup} says how the transport node resolves it (RFC 3263); the port and transport then are the
 * defaults used when DNS has no SRV for them.
 */
public record Destination(SipTransport transport, Peer peer, Optional<String> flow, Lookup lookup)
        implements ClusterSerializable {

    public Destination {
        // absent from messages and events written before RFC 3263 lookups existed: they meant an A lookup
        lookup = lookup == null || NetUtil.isValidIpV4Address(peer.host()) || NetUtil.isValidIpV6Address(peer.host())
                ? Lookup.ADDRESS : lookup; // and an address is never looked up: one form for equal destinations
    }

    /** A destination whose host, if a name, is resolved by A/AAAA alone, with this port. */
    public Destination(SipTransport transport, Peer peer, Optional<String> flow) {
        this(transport, peer, flow, Lookup.ADDRESS);
    }

    public static Destination udp(String host, int port) {
        return new Destination(SipTransport.UDP, new Peer(host, port), Optional.empty());
    }
}
