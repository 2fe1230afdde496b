package org.switchboard.transport.api;

/**
 * Digest credentials failed for a request that came in at this transport node, from {@code source}: the
 * registrar (or the proxy) tells the node that received it, whose edge counts failures per source address and
 * bans a source that keeps guessing. {@code aorFailures} is the registrar's own count for the AOR.
 */
public record AuthFailed(Peer source, String aor, int aorFailures) implements TransportCommand {
}
