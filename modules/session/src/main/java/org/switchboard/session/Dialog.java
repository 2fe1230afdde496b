package org.switchboard.session;

import org.switchboard.transport.api.ClusterSerializable;

/**
 * An answered call's dialog as the proxy saw it (RFC 3261 §12): both tags, both parties and both remote
 * targets. In-dialog requests are routed by their Route headers, so this is the record of the call, and what
 * a later BYE of our own (session timers) would need.
 */
public record Dialog(String callId, String callerTag, String calleeTag, String caller, String callee,
                     String callerContact, String calleeContact) implements ClusterSerializable {
}
