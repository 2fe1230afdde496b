package org.switchboard.session.api;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.switchboard.sip.SipMessage;
import org.switchboard.transport.api.Envelope;

import akka.actor.SuppressedDeadLetter;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The Call entities awake on this node, by Call-ID, so that this node's edge hands a message of a call it already
 * holds straight to its entity: one actor hop instead of three (sharding's region and shard actors relay every
 * message, each relay a thread hand-off). A call's first message goes through sharding, which starts the entity;
 * the entity says it is awake once recovered, and asleep as soon as it asks to passivate, is handed off to another
 * node, restarts or stops — from then on sharding, which buffers for an entity that is stopping or moving, carries
 * its messages again.
 *
 * <p>A message that finds its entity stopped after all (the look-up raced with the stop) is not lost: it arrives
 * as a {@link DirectSip} dead letter and is routed again through sharding.
 */
public final class AwakeCalls implements Extension {
    private final ConcurrentHashMap<String, ActorRef<CallCommand>> awake = new ConcurrentHashMap<>();
    private final ActorSystem<?> system;

    private AwakeCalls(ActorSystem<?> system) {
        this.system = system;
        ActorRef<SuppressedDeadLetter> again = system.systemActorOf(Behaviors.receive(SuppressedDeadLetter.class)
                .onMessage(SuppressedDeadLetter.class, dead -> {
                    if (dead.message() instanceof DirectSip lost) {
                        viaSharding(lost.callId(), lost.envelope());
                    }
                    return Behaviors.same();
                }).build(), "awake-calls-dead-letters", Props.empty());
        system.eventStream().tell(new EventStream.Subscribe<>(SuppressedDeadLetter.class, again));
    }

    public static AwakeCalls get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    /** The entity of {@code callId} is awake here and takes messages directly. */
    public void awake(String callId, ActorRef<CallCommand> entity) {
        awake.put(callId, entity);
    }

    /** The entity of {@code callId} no longer takes messages directly (a newer one of the same Call-ID is kept). */
    public void asleep(String callId, ActorRef<CallCommand> entity) {
        awake.remove(callId, entity);
    }

    /**
     * Hands the message of {@code callId} to its entity: directly, with {@code message} (the envelope's bytes as the
     * edge parsed them), when it is awake here, else through sharding.
     */
    public void deliver(String callId, Envelope envelope, SipMessage message) {
        ActorRef<CallCommand> entity = awake.get(callId);
        if (entity != null) {
            entity.tell(new DirectSip(callId, envelope, message));
        } else {
            viaSharding(callId, envelope);
        }
    }

    /** Whether the entity of {@code callId} is awake here. */
    public Optional<ActorRef<CallCommand>> find(String callId) {
        return Optional.ofNullable(awake.get(callId));
    }

    private void viaSharding(String callId, Envelope envelope) {
        ClusterSharding.get(system).entityRefFor(CallEntity.KEY, callId).tell(new HandleSip(envelope));
    }

    static final class Id extends ExtensionId<AwakeCalls> {
        static final Id INSTANCE = new Id();

        @Override
        public AwakeCalls createExtension(ActorSystem<?> system) {
            return new AwakeCalls(system);
        }
    }
}
