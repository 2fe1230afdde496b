package org.switchboard.transport.api;

/** Digest credentials from {@code source} failed for {@code aor}; {@code aorFailures} is the AOR's recent count. */
public record AuthFailed(Peer source, String aor, int aorFailures) implements TransportCommand {}
