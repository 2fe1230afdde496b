package org.switchboard.transport.dns;

import org.switchboard.transport.api.SipTransport;

/** A host name still to be resolved to addresses (A/AAAA), with the transport and port it is reached on. */
public record HostTarget(SipTransport transport, String host, int port) {
}
