package org.switchboard.session;

import java.util.Optional;

import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;

/**
 * The INVITE server transaction toward the caller, in memory only: the last response (to answer a
 * retransmission), the branch it was forwarded on, and whether a final response went up.
 *
 * @param finalStatus 0 while no final response was sent upstream
 */
record ServerInvite(Envelope envelope, SipRequest request, Destination upstream, Optional<byte[]> lastResponse,
                    Optional<String> forwardedBranch, int finalStatus, boolean cancelled) {

    ServerInvite withResponse(byte[] response, int status) {
        return new ServerInvite(envelope, request, upstream, Optional.of(response), forwardedBranch,
                status >= 200 ? status : finalStatus, cancelled);
    }

    ServerInvite forwardedOn(String branch) {
        return new ServerInvite(envelope, request, upstream, lastResponse, Optional.of(branch), finalStatus, cancelled);
    }

    ServerInvite cancel() {
        return new ServerInvite(envelope, request, upstream, lastResponse, forwardedBranch, finalStatus, true);
    }

    boolean finalSent() {
        return finalStatus >= 200;
    }
}
