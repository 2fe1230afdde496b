package org.switchboard.registrar.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import akka.actor.SuppressedDeadLetter;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.Props;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The entities of one sharded type awake on this node, by entity id, so that this node's edge hands a message for
 * an entity it already holds straight to it: one actor hop instead of three (sharding's region and shard actors
 * relay every message, each relay a thread hand-off; under load they took a tenth of the node's CPU). The first
 * message goes through sharding, which starts the entity; the entity says it is awake once recovered, and asleep
 * as soon as its stop message (passivation, hand-off) comes, or it restarts or stops — from then on sharding,
 * which buffers for an entity that is stopping or moving, carries its messages again.
 *
 * <p>A message that finds its entity stopped after all (the look-up raced with the stop) is not lost: it arrives
 * as a suppressed dead letter and is routed again through sharding.
 *
 * @param <C> the entity's command type
 */
public class AwakeEntities<C> implements Extension {
    private final ConcurrentHashMap<String, ActorRef<C>> awake = new ConcurrentHashMap<>();
    private final ActorSystem<?> system;
    private final EntityTypeKey<C> type;

    /** @param direct the types of {@link DirectDelivery} this entity type takes: those are routed again */
    protected AwakeEntities(ActorSystem<?> system, EntityTypeKey<C> type, List<Class<? extends DirectDelivery<C>>> direct) {
        this.system = system;
        this.type = type;
        ActorRef<SuppressedDeadLetter> again = system.systemActorOf(Behaviors.receive(SuppressedDeadLetter.class)
                .onMessage(SuppressedDeadLetter.class, dead -> {
                    for (Class<? extends DirectDelivery<C>> d : direct) {
                        if (d.isInstance(dead.message())) {
                            viaSharding(d.cast(dead.message()));
                        }
                    }
                    return Behaviors.same();
                }).build(), "awake-" + type.name() + "-dead-letters", Props.empty());
        system.eventStream().tell(new EventStream.Subscribe<>(SuppressedDeadLetter.class, again));
    }

    /** The entity {@code id} is awake here and takes messages directly. */
    public void awake(String id, ActorRef<C> entity) {
        awake.put(id, entity);
    }

    /** The entity {@code id} no longer takes messages directly (a newer one of the same id is kept). */
    public void asleep(String id, ActorRef<C> entity) {
        awake.remove(id, entity);
    }

    /** Hands {@code message} to its entity: directly when it is awake here, else through sharding. */
    public void deliver(DirectDelivery<C> message) {
        ActorRef<C> entity = awake.get(message.entityId());
        if (entity != null) {
            entity.tell(message.direct());
        } else {
            viaSharding(message);
        }
    }

    /** The entity {@code id} when it is awake here. */
    public Optional<ActorRef<C>> find(String id) {
        return Optional.ofNullable(awake.get(id));
    }

    private void viaSharding(DirectDelivery<C> message) {
        ClusterSharding.get(system).entityRefFor(type, message.entityId()).tell(message.viaSharding());
    }
}
