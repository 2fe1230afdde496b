package org.switchboard.registrar.api;

import java.util.Optional;

import org.switchboard.transport.api.ClusterSerializable;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

/**
 * One device bound to an AOR.
 *
 * @param contact         the Contact URI as the device sent it
 * @param expiresAtMillis wall-clock time the binding lapses (decided when the REGISTER was handled)
 * @param source          where the REGISTER came from, for devices behind NAT
 * @param flow            the connection it came on, for stream transports
 */
public record ContactBinding(String contact, double q, long expiresAtMillis, String callId, long cseq,
                             Optional<String> instanceId, SipTransport transport, Peer source,
                             Optional<String> flow) implements ClusterSerializable {

    public boolean liveAt(long nowMillis) {
        return expiresAtMillis > nowMillis;
    }

    public long remainingSeconds(long nowMillis) {
        return Math.max(0, (expiresAtMillis - nowMillis + 999) / 1000);
    }
}
