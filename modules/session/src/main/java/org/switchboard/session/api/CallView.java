package org.switchboard.session.api;

import org.switchboard.transport.api.ClusterSerializable;

/**
 * What an operator sees of one call (the admin API). Times are wall-clock milliseconds, 0 where they do not apply.
 *
 * @param state          {@code setup} (no answer yet, or none known), {@code answered}, {@code failed}, {@code ended}
 * @param from           the caller's From URI, for an answered call
 * @param to             the callee's To URI
 * @param callerContact  where the caller's side of the dialog is reached
 * @param calleeContact  where the callee's side is reached
 * @param node           the cluster member the entity runs on (host:port)
 */
public record CallView(String callId, String state, String from, String to, String callerContact,
                       String calleeContact, long answeredAtMillis, long sessionExpiresAtMillis, long endedAtMillis,
                       String endCause, String node) implements ClusterSerializable {
}
