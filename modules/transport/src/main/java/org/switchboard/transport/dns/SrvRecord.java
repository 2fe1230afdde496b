package org.switchboard.transport.dns;

/** One SRV record (RFC 2782); a {@code target} of "." says the service is decidedly not available there. */
public record SrvRecord(int priority, int weight, int port, String target) {
}
