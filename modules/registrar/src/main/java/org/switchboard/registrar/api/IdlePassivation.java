package org.switchboard.registrar.api;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * An entity that the edge feeds directly ({@link AwakeEntities}) passivates itself when idle, since sharding, which
 * sees only the messages it carries, would take a busy entity for an idle one and stop it (under a REGISTER load
 * every entity went at once, two minutes after its first REGISTER, and each wrote and recovered its journal again).
 * Sharding's own idle strategy is off for such an entity type; this keeps the same timeout with one timer per
 * entity, never restarted by the messages themselves: when it fires, it asks the shard to passivate the entity if
 * nothing came for the whole timeout, else runs again for what is left of it. Outside sharding (tests without a
 * shard) the entity never passivates.
 *
 * @param <C> the entity's command type
 */
public final class IdlePassivation<C> {
    private static final Object TIMER = "idle-passivation";

    private final ActorContext<C> context;
    private final TimerScheduler<C> timers;
    private final Optional<ActorRef<ClusterSharding.ShardCommand>> shard;
    private final long idleMillis;
    private final Clock clock;
    private final C check;
    private long lastActiveMillis;

    /**
     * @param idle  how long without a message before the entity goes; zero or less: never
     * @param check the command that {@link #check()} handles, sent by the timer
     */
    public IdlePassivation(ActorContext<C> context, TimerScheduler<C> timers,
                           Optional<ActorRef<ClusterSharding.ShardCommand>> shard, Duration idle, Clock clock, C check) {
        this.context = context;
        this.timers = timers;
        this.shard = shard;
        this.idleMillis = idle.toMillis();
        this.clock = clock;
        this.check = check;
        this.lastActiveMillis = clock.millis();
    }

    /** Starts counting, once the entity is ready for messages. */
    public void start() {
        active();
        schedule(idleMillis);
    }

    /** A message came that keeps the entity awake. */
    public void active() {
        lastActiveMillis = clock.millis();
    }

    /** The timer fired: passivate if idle for the whole timeout, else wait for what is left of it. */
    public void check() {
        long quietMillis = clock.millis() - lastActiveMillis;
        if (quietMillis >= idleMillis) {
            shard.ifPresent(s -> s.tell(new ClusterSharding.Passivate<>(context.getSelf())));
        } else {
            schedule(idleMillis - quietMillis);
        }
    }

    private void schedule(long millis) {
        if (shard.isPresent() && idleMillis > 0) {
            timers.startSingleTimer(TIMER, check, Duration.ofMillis(millis));
        }
    }
}
