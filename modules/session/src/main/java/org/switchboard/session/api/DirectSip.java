package org.switchboard.session.api;

import org.switchboard.transport.api.Envelope;

import akka.actor.DeadLetterSuppression;

/**
 * A message of a Call-ID handed by this node's edge straight to the Call entity awake on this node ({@link
 * AwakeCalls}), not through sharding. Never sent to another node. One that finds the entity gone (it stopped between
 * the look-up and the delivery) becomes a suppressed dead letter, which {@link AwakeCalls} routes again through
 * sharding as a {@link HandleSip}.
 */
public record DirectSip(String callId, Envelope envelope) implements CallCommand, DeadLetterSuppression {
}
