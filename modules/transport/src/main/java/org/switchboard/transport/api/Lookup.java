package org.switchboard.transport.api;

/**
 * How the host name of a {@link Destination} is turned into addresses (RFC 3263 §4), decided by what its SIP URI
 * said. An IP literal is never looked up, whatever this says.
 */
public enum Lookup {
    /** A port was given (or the destination is no URI's, e.g. a Via): A/AAAA only, with that port. */
    ADDRESS,
    /** A transport but no port: SRV for that transport, else A/AAAA with the default port. */
    SRV,
    /** Neither port nor transport: NAPTR, then SRV, then A/AAAA with the default port and transport. */
    NAPTR
}
