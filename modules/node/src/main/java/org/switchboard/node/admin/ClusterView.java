package org.switchboard.node.admin;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.switchboard.registrar.api.RegistrationEntity;
import org.switchboard.session.api.CallEntity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetClusterShardingStats;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;

/** The cluster as an operator sees it: members and roles, shards and entities per node, the journal's health. */
final class ClusterView {
    private static final Duration STATS = Duration.ofSeconds(3);

    private ClusterView() {
    }

    static CompletionStage<ObjectNode> of(ActorSystem<?> system, ClusterSharding sharding, SubscriberDirectory journal,
                                          Executor blocking) {
        ObjectNode out = AdminJson.object();
        Cluster cluster = Cluster.get(system);
        ClusterEvent.CurrentClusterState state = cluster.state();
        out.put("self", cluster.selfMember().address().hostPort());
        ArrayNode members = out.putArray("members");
        state.getMembers().forEach(m -> members.add(member(m)));
        ArrayNode unreachable = out.putArray("unreachable");
        state.getUnreachable().forEach(m -> unreachable.add(m.address().hostPort()));
        ArrayNode regions = out.putArray("regions");
        CompletionStage<Void> shards = stats(system, sharding, RegistrationEntity.KEY, regions)
                .thenCompose(done -> stats(system, sharding, CallEntity.KEY, regions));
        CompletionStage<ObjectNode> health = CompletableFuture.supplyAsync(() -> {
            ObjectNode j = AdminJson.object();
            try {
                j.put("healthy", true).put("latencyMs", journal.ping());
            } catch (java.sql.SQLException e) {
                j.put("healthy", false).put("error", e.getMessage());
            }
            return j;
        }, blocking);
        return shards.thenCombine(health, (done, j) -> {
            out.set("journal", j);
            return out;
        });
    }

    private static ObjectNode member(Member m) {
        ObjectNode o = AdminJson.object().put("address", m.address().hostPort()).put("status", m.status().toString());
        ArrayNode roles = o.putArray("roles");
        m.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().forEach(roles::add);
        return o;
    }

    private static CompletionStage<Void> stats(ActorSystem<?> system, ClusterSharding sharding, EntityTypeKey<?> key,
                                               ArrayNode regions) {
        return AskPattern.<akka.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(
                        sharding.shardState(), reply -> new GetClusterShardingStats(key, STATS, reply),
                        STATS.plusSeconds(1), system.scheduler())
                .thenAccept(stats -> stats.getRegions().entrySet().stream()
                        .sorted(Comparator.comparing(e -> e.getKey().hostPort()))
                        .forEach(e -> {
                            List<Object> counts = List.copyOf(e.getValue().getStats().values());
                            regions.add(AdminJson.object().put("type", key.name()).put("node", e.getKey().hostPort())
                                    .put("shards", counts.size())
                                    .put("entities", counts.stream().mapToInt(c -> ((Number) c).intValue()).sum()));
                        }));
    }
}
