package org.switchboard.transport.overload;

import java.util.Optional;

import org.switchboard.sip.HeaderName;
import org.switchboard.sip.SipRequest;

/**
 * Whether a request that reached the edge goes on into the cluster while the node is overloaded. New work — a
 * REGISTER or an initial INVITE whose Call-ID the node has not taken lately — is refused with {@code 503} and
 * {@code Retry-After} before it costs an entity, a journal read or a hop; everything that belongs to work already
 * taken (retransmissions, the retry with credentials after a 407, in-dialog requests) always goes on.
 */
public final class EdgeAdmission {
    private final Overload overload;

    public EdgeAdmission(Overload overload) {
        this.overload = overload;
    }

    /** The 503 to send back when the request is refused; empty when it goes on. */
    public Optional<byte[]> refusal(SipRequest request) {
        if (!startsNewWork(request) || overload.takes(request.callId())) {
            return Optional.empty();
        }
        return Optional.of(request.response(503, "Service Unavailable - overloaded")
                .toTag(Integer.toHexString(request.callId().hashCode()))
                .header(HeaderName.RETRY_AFTER, Integer.toString(overload.retryAfterSeconds()))
                .toBytes());
    }

    private static boolean startsNewWork(SipRequest request) {
        return request.method().equals("REGISTER")
                || (request.method().equals("INVITE") && request.to().tag().isEmpty());
    }
}
