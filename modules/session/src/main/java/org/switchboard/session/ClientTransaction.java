package org.switchboard.session;

import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;

/**
 * A request this proxy forwarded, in memory only: where its responses go back to (the upstream envelope) and
 * what was sent downstream (to send it again, or build the ACK or CANCEL for it).
 *
 * @param received the request as it came from upstream, to answer it ourselves (a 408 when downstream is silent)
 */
record ClientTransaction(SipRequest received, Envelope upstreamEnvelope, Destination upstream,
                         SipRequest forwarded, Destination downstream) {
}
