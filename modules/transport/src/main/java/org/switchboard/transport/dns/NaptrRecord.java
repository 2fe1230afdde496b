package org.switchboard.transport.dns;

/** One NAPTR record (RFC 3403 §4.1) as RFC 3263 reads it: flags {@code S} point at an SRV name (replacement). */
public record NaptrRecord(int order, int preference, String flags, String service, String regexp, String replacement) {
}
