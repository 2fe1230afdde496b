package org.switchboard.session.api;

import org.switchboard.sip.SipMessage;
import org.switchboard.transport.api.Envelope;

import akka.actor.DeadLetterSuppression;

/**
 * A message of a Call-ID handed by this node's edge straight to the Call entity awake on this node ({@link
 * AwakeCalls}), not through sharding, with the edge's parse of it ({@code message}: the envelope's bytes, already
 * Via-fixed; the edge no longer touches it), so the entity does not parse it again. Never sent to another node: it
 * is not meant to be serialized. One that finds the entity gone (it stopped between the look-up and the delivery)
 * becomes a suppressed dead letter, which {@link AwakeCalls} routes again through sharding as a {@link HandleSip}.
 */
public record DirectSip(String callId, Envelope envelope, SipMessage message) implements CallCommand, DeadLetterSuppression {
}
