package org.switchboard.registrar.api;

import java.time.Duration;
import java.util.Optional;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * An entity's shard and the idle timeout after which it passivates itself ({@link IdlePassivation}); {@link #NONE}
 * outside sharding (tests that spawn the entity alone).
 */
public record EntityShard(Optional<ActorRef<ClusterSharding.ShardCommand>> shard, Duration idleTimeout) {
    public static final EntityShard NONE = new EntityShard(Optional.empty(), Duration.ZERO);

    /** The node's sharding settings with sharding's own idle strategy off: the entities passivate themselves. */
    public static ClusterShardingSettings selfPassivating(ActorSystem<?> system) {
        return ClusterShardingSettings.create(system).withNoPassivationStrategy();
    }

    /** The idle timeout configured for sharding (akka.cluster.sharding.passivation), which the entities keep. */
    public static Duration idleTimeout(ActorSystem<?> system) {
        return Duration.ofMillis(ClusterShardingSettings.create(system).passivateIdleEntityAfter().toMillis());
    }
}
