package org.switchboard.transport.overload;

import java.util.Optional;

import org.switchboard.sip.Branches;
import org.switchboard.sip.HeaderName;
import org.switchboard.sip.SipRequest;

/**
 * Whether a request that reached the edge goes on into the cluster while the node is overloaded. New work — a
 * REGISTER or an initial INVITE whose Call-ID the node has not taken lately — is refused with {@code 503} and
 * {@code Retry-After} before it costs an entity, a journal read or a hop; everything that belongs to work already
 * taken (retransmissions, the retry with credentials after a 407, in-dialog requests) always goes on. The ACK
 * of such a {@code 503} ends here too: it belongs to no entity, and routing it would wake one for a call the node
 * refused to take (a journal read and an entity per refused call: the work the refusal was meant to save).
 */
public final class EdgeAdmission {
    private final Overload overload;
    private final Branches branches;

    public EdgeAdmission(Overload overload, Branches branches) {
        this.overload = overload;
        this.branches = branches;
    }

    /** The 503 to send back when the request is refused; empty when it goes on. */
    public Optional<byte[]> refusal(SipRequest request) {
        if (!startsNewWork(request) || overload.takes(request.callId())) {
            return Optional.empty();
        }
        return Optional.of(request.response(503, "Service Unavailable - overloaded")
                .toTag(branches.refusalTag(request.callId()))
                .header(HeaderName.RETRY_AFTER, Integer.toString(overload.retryAfterSeconds()))
                .toBytes());
    }

    /** Whether {@code request} is the ACK of a 503 this cluster's edge sent: it goes no further (RFC 3261 §17.2.1). */
    public boolean endsHere(SipRequest request) {
        if (!request.method().equals("ACK")) {
            return false;
        }
        Optional<String> tag = request.to().tag();
        return tag.isPresent() && branches.isRefusalTag(tag.get(), request.callId());
    }

    private static boolean startsNewWork(SipRequest request) {
        return request.method().equals("REGISTER")
                || (request.method().equals("INVITE") && request.to().tag().isEmpty());
    }
}
