package org.switchboard.transport.dns;

import org.switchboard.transport.api.SipTransport;

/** An SRV name to ask and the transport its targets are reached on. */
public record SrvQuery(String name, SipTransport transport) {
}
