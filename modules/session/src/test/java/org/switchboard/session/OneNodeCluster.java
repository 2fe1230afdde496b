package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** An actor test kit that is a real cluster of one node (on a free loopback port), up before it is returned. */
final class OneNodeCluster {
    private OneNodeCluster() {
    }

    static ActorTestKit start(String name, Config fallback) {
        ActorTestKit kit = ActorTestKit.create(name, ConfigFactory.parseString("""
                akka.actor.provider = cluster
                akka.remote.artery.canonical { hostname = 127.0.0.1, port = 0 }
                akka.cluster.jmx.multi-mbeans-in-same-jvm = on
                """).withFallback(fallback));
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        TestProbe<Object> waiter = kit.createTestProbe();
        waiter.awaitAssert(Duration.ofSeconds(10), () -> {
            assertEquals(MemberStatus.up(), cluster.selfMember().status());
            return null;
        });
        return kit;
    }

    /** Shards entities of {@code key} on {@code kit} that tell {@code probe} every command they get. */
    static <C> void reportingEntities(ActorTestKit kit, EntityTypeKey<C> key, Class<C> type, TestProbe<Object> probe) {
        ClusterSharding.get(kit.system()).init(Entity.of(key, ctx -> Behaviors.receive(type)
                .onAnyMessage(cmd -> {
                    probe.ref().tell(cmd);
                    return Behaviors.same();
                }).build()));
    }
}
