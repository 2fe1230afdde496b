package org.switchboard.registrar.api;

import java.util.List;
import java.util.Optional;

import org.switchboard.transport.api.ClusterSerializable;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

/**
 * One device bound to an AOR.
 *
 * @param contact          the Contact URI as the device sent it
 * @param expiresAtMillis  wall-clock time the binding lapses (decided when the REGISTER was handled)
 * @param updatedAtMillis  when the REGISTER that wrote this binding was handled
 * @param instanceId       RFC 5626 {@code +sip.instance}, when the device sent one
 * @param regId            RFC 5626 {@code reg-id}, 0 when absent
 * @param path             RFC 3327 Path header values, in order, to reach the device through its edge proxies
 * @param source           where the REGISTER came from, for devices behind NAT
 * @param flow             the connection it came on, for stream transports
 * @param direct           the REGISTER came straight from the device (one Via), so {@code source} is the device's
 *                         own address as the network sees it (its NAT mapping), not a proxy's
 * @param userAgent        the REGISTER's User-Agent, for operators
 * @param receivedBy       the cluster member whose transport received the REGISTER, for operators
 */
public record ContactBinding(String contact, double q, long expiresAtMillis, long updatedAtMillis, String callId,
                             long cseq, Optional<String> instanceId, int regId, List<String> path,
                             SipTransport transport, Peer source, Optional<String> flow, boolean direct,
                             Optional<String> userAgent, Optional<String> receivedBy) implements ClusterSerializable {

    public ContactBinding {
        path = List.copyOf(path);
        // bindings journalled before these fields existed carry none
        userAgent = userAgent == null ? Optional.empty() : userAgent;
        receivedBy = receivedBy == null ? Optional.empty() : receivedBy;
    }

    /** A binding that does not say which device software wrote it nor where it was received. */
    public ContactBinding(String contact, double q, long expiresAtMillis, long updatedAtMillis, String callId, long cseq,
                          Optional<String> instanceId, int regId, List<String> path, SipTransport transport, Peer source,
                          Optional<String> flow, boolean direct) {
        this(contact, q, expiresAtMillis, updatedAtMillis, callId, cseq, instanceId, regId, path, transport, source,
                flow, direct, Optional.empty(), Optional.empty());
    }

    public boolean liveAt(long nowMillis) {
        return expiresAtMillis > nowMillis;
    }

    public long remainingSeconds(long nowMillis) {
        return Math.max(0, (expiresAtMillis - nowMillis + 999) / 1000);
    }

    /** The same device reached the same way: only expiry, Call-ID and CSeq differ (a plain refresh). */
    public boolean sameRouteAs(ContactBinding other) {
        return contact.equals(other.contact) && q == other.q && instanceId.equals(other.instanceId)
                && regId == other.regId && path.equals(other.path) && transport == other.transport
                && source.equals(other.source) && flow.equals(other.flow) && direct == other.direct;
    }

    public ContactBinding withExpiry(long expiresAt, long updatedAt, String newCallId, long newCseq) {
        return new ContactBinding(contact, q, expiresAt, updatedAt, newCallId, newCseq, instanceId, regId, path,
                transport, source, flow, direct, userAgent, receivedBy);
    }
}
