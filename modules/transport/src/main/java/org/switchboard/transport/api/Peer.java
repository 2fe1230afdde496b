package org.switchboard.transport.api;

/** A transport address: IP literal (or host name for outbound targets) and port. */
public record Peer(String host, int port) implements ClusterSerializable {
    @Override
    public String toString() {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
