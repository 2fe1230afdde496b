package org.switchboard.transport.netty;

import java.net.InetSocketAddress;

/** The SIP address is taken by another process: start-up cannot go on. */
public final class PortInUseException extends RuntimeException {
    public PortInUseException(InetSocketAddress address, Throwable cause) {
        super("SIP address " + address.getHostString() + ":" + address.getPort() + " is already in use", cause);
    }
}
