package org.switchboard.registrar.api;

import akka.actor.DeadLetterSuppression;

/**
 * A message handed by this node's edge straight to an entity awake on this node ({@link AwakeEntities}), with the
 * edge's parse of it. Never sent to another node. One that finds its entity gone (it stopped between the look-up
 * and the delivery) becomes a suppressed dead letter, and goes again through sharding as {@link #viaSharding()}.
 *
 * @param <C> the entity's command type
 */
public interface DirectDelivery<C> extends DeadLetterSuppression {
    /** The entity's id in sharding. */
    String entityId();

    /** This message as the entity's command. */
    C direct();

    /** What sharding carries instead, when the entity is not awake here. */
    C viaSharding();
}
