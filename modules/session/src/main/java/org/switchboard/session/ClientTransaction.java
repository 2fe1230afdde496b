package org.switchboard.session;

import java.util.Optional;

import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;

/**
 * A request this proxy forwarded, in memory only: where its responses go back to (the upstream envelope) and
 * what was sent downstream (to build the ACK or CANCEL for it).
 *
 * @param serverKey the upstream INVITE server transaction, for INVITEs
 */
record ClientTransaction(Optional<String> serverKey, Envelope upstreamEnvelope, Destination upstream,
                         SipRequest forwarded, Destination downstream) {
}
