package org.switchboard.transport.dns;

import java.net.InetSocketAddress;

import org.switchboard.transport.api.SipTransport;

/** One resolved next hop: what a request is sent to, and what is marked dead when it does not answer. */
public record Target(SipTransport transport, InetSocketAddress address) {
    @Override
    public String toString() {
        return transport + " " + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
