package org.switchboard.session;

import org.switchboard.transport.api.ClusterSerializable;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Peer;

/**
 * An answered call's dialog as the proxy saw it (RFC 3261 §12): the From and To header values (with both
 * tags), both remote targets and how to reach them, and the highest CSeq each side has used, so that the proxy
 * can end the call itself with a BYE to each side when its session timer runs out.
 *
 * @param sessionExpires RFC 4028 interval in seconds, 0 when the call has no session timer
 * @param proxy          the transport address the caller reached us at: the Via of the proxy's own BYEs
 */
public record Dialog(String callId, String from, String to, String callerContact, Destination callerHop,
                     String calleeContact, Destination calleeHop, long callerCseq, long calleeCseq,
                     int sessionExpires, Peer proxy) implements ClusterSerializable {

    public Dialog withCseqs(long caller, long callee) {
        return new Dialog(callId, from, to, callerContact, callerHop, calleeContact, calleeHop,
                Math.max(callerCseq, caller), Math.max(calleeCseq, callee), sessionExpires, proxy);
    }

    /** With the remote target of the caller's (or the callee's) side moved (RFC 3261 §12.2: a target refresh). */
    public Dialog withTarget(boolean callerSide, String contact, Destination hop) {
        return callerSide
                ? new Dialog(callId, from, to, contact, hop, calleeContact, calleeHop, callerCseq, calleeCseq, sessionExpires, proxy)
                : new Dialog(callId, from, to, callerContact, callerHop, contact, hop, callerCseq, calleeCseq, sessionExpires, proxy);
    }

    public Dialog withSessionExpires(int seconds) {
        return new Dialog(callId, from, to, callerContact, callerHop, calleeContact, calleeHop, callerCseq,
                calleeCseq, seconds, proxy);
    }
}
