package org.switchboard.node.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.node.CallSweeper;
import org.switchboard.node.admin.AdminApi;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Keeps {@link ClusterFigures} up to date for the gauges, so that a scrape only reads memory: an actor that, every
 * refresh interval, reads the membership, asks this node's shard regions for what they host and the call sweeper for
 * the calls up, and, every bindings interval, counts the cluster's registrations through the admin API's census
 * (one ask per subscriber). Each question is asked again only once its last one was answered or timed out, so a slow
 * cluster never piles asks up.
 */
final class ClusterGauges {
    private static final Logger log = LoggerFactory.getLogger(ClusterGauges.class);
    /** Every status Akka gives a member, so each has its series (0 most of the time) from the start. */
    static final List<String> STATUSES = List.of("joining", "weakly_up", "up", "leaving", "exiting", "down",
            "removed", "preparing_for_shutdown", "ready_for_shutdown");

    interface Command {
    }

    private record Refresh() implements Command {
    }

    private record CountRegistrations() implements Command {
    }

    private record Region(String type, ShardRegion.CurrentShardRegionState state) implements Command {
    }

    private record Calls(CallSweeper.CallCount count) implements Command {
    }

    private record Registrations(AdminApi.RegistrationTotals totals) implements Command {
    }

    /** A question that got no answer in time (or failed); its figure keeps its last value. */
    private record Unanswered(String what, Throwable cause) implements Command {
    }

    private ClusterGauges() {
    }

    /** The gauges over {@code figures}; the registration gauges only when they are counted at all. */
    static void bind(MeterRegistry registry, AtomicReference<ClusterFigures> figures, List<String> types,
                     boolean registrations) {
        for (String status : STATUSES) {
            gauge(registry, "switchboard.cluster.members", figures, f -> f.members().getOrDefault(status, 0),
                    "Cluster members by status, as this node sees them").tag("status", status).register(registry);
        }
        gauge(registry, "switchboard.cluster.unreachable.members", figures, ClusterFigures::unreachable,
                "Members this node's failure detector finds unreachable (a failover is under way while above 0)")
                .register(registry);
        for (String type : types) {
            gauge(registry, "switchboard.sharding.shards", figures, f -> f.shards().getOrDefault(type, 0),
                    "Shards this node hosts, by entity type").tag("type", type).register(registry);
            gauge(registry, "switchboard.sharding.entities", figures, f -> f.entities().getOrDefault(type, 0),
                    "Entities in memory on this node, by entity type").tag("type", type).register(registry);
        }
        gauge(registry, "switchboard.calls.active", figures, ClusterFigures::callsUp,
                "Calls answered and not ended in the whole cluster (the call sweeper's count; the same on every node)")
                .register(registry);
        if (registrations) {
            gauge(registry, "switchboard.registrations.bindings", figures, ClusterFigures::bindings,
                    "Live bindings of the whole cluster (the same on every node), counted every bindings-interval")
                    .register(registry);
            gauge(registry, "switchboard.registrations.registered", figures, ClusterFigures::registered,
                    "Subscribers with at least one live binding, whole cluster").register(registry);
            gauge(registry, "switchboard.subscribers", figures, ClusterFigures::subscribers,
                    "Provisioned subscribers, whole cluster").register(registry);
        }
    }

    private static Gauge.Builder<AtomicReference<ClusterFigures>> gauge(MeterRegistry registry, String name,
                                                                         AtomicReference<ClusterFigures> figures,
                                                                         ToDoubleFunction<ClusterFigures> read,
                                                                         String description) {
        return Gauge.builder(name, figures, r -> read.applyAsDouble(r.get())).description(description)
                .strongReference(true);
    }

    /**
     * @param registrations the census of the cluster's registrations; asked every {@code bindingsInterval} unless
     *                      that is zero
     */
    static Behavior<Command> create(AtomicReference<ClusterFigures> figures, ActorRef<CallSweeper.Command> sweeper,
                                    List<EntityTypeKey<?>> types, Supplier<CompletionStage<AdminApi.RegistrationTotals>> registrations,
                                    Duration refreshInterval, Duration bindingsInterval) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new Refresh(), Duration.ZERO, refreshInterval);
            if (!bindingsInterval.isZero()) {
                // not at once: a node that starts is busy enough (subscriber import, warm-up, recoveries)
                timers.startTimerWithFixedDelay(new CountRegistrations(), bindingsInterval, bindingsInterval);
            }
            return new Asker(ctx, figures, sweeper, types, registrations, refreshInterval).behavior();
        }));
    }

    /** The actor's state: which questions are out. Touched by the actor only. */
    private static final class Asker {
        private final ActorContext<Command> ctx;
        private final AtomicReference<ClusterFigures> figures;
        private final ActorRef<CallSweeper.Command> sweeper;
        private final List<EntityTypeKey<?>> types;
        private final Supplier<CompletionStage<AdminApi.RegistrationTotals>> registrations;
        private final Duration timeout;
        /** The questions asked and not answered yet: none is asked again until then. */
        private final Set<String> out = new HashSet<>();

        Asker(ActorContext<Command> ctx, AtomicReference<ClusterFigures> figures, ActorRef<CallSweeper.Command> sweeper,
              List<EntityTypeKey<?>> types, Supplier<CompletionStage<AdminApi.RegistrationTotals>> registrations,
              Duration refreshInterval) {
            this.ctx = ctx;
            this.figures = figures;
            this.sweeper = sweeper;
            this.types = types;
            this.registrations = registrations;
            // an answer later than this is not worth waiting for: the next refresh asks again
            this.timeout = refreshInterval.compareTo(Duration.ofSeconds(5)) > 0 ? refreshInterval : Duration.ofSeconds(5);
        }

        Behavior<Command> behavior() {
            return Behaviors.receive(Command.class)
                    .onMessage(Refresh.class, r -> refresh())
                    .onMessage(CountRegistrations.class, r -> countRegistrations())
                    .onMessage(Region.class, r -> {
                        out.remove("region " + r.type());
                        int entities = r.state().getShards().stream().mapToInt(s -> s.getEntityIds().size()).sum();
                        figures.updateAndGet(f -> f.withRegion(r.type(), r.state().getShards().size(), entities));
                        return Behaviors.same();
                    })
                    .onMessage(Calls.class, c -> {
                        out.remove("calls");
                        figures.updateAndGet(f -> f.withCallsUp(c.count().up()));
                        return Behaviors.same();
                    })
                    .onMessage(Registrations.class, r -> {
                        out.remove("registrations");
                        figures.updateAndGet(f -> f.withRegistrations(r.totals().subscribers(),
                                r.totals().registered(), r.totals().bindings()));
                        return Behaviors.same();
                    })
                    .onMessage(Unanswered.class, u -> {
                        out.remove(u.what());
                        log.debug("metrics: no answer for {}: {}", u.what(), u.cause().toString());
                        return Behaviors.same();
                    })
                    .build();
        }

        private Behavior<Command> refresh() {
            members();
            for (EntityTypeKey<?> key : types) {
                String what = "region " + key.name();
                if (out.add(what)) {
                    ctx.ask(ShardRegion.CurrentShardRegionState.class, ClusterSharding.get(ctx.getSystem()).shardState(),
                            timeout, replyTo -> new GetShardRegionState(key, replyTo),
                            (state, failure) -> state != null ? new Region(key.name(), state) : new Unanswered(what, failure));
                }
            }
            if (out.add("calls")) {
                ctx.ask(CallSweeper.CallCount.class, sweeper, timeout, CallSweeper.CountCalls::new,
                        (count, failure) -> count != null ? new Calls(count) : new Unanswered("calls", failure));
            }
            return Behaviors.same();
        }

        private Behavior<Command> countRegistrations() {
            if (out.add("registrations")) {
                ctx.pipeToSelf(registrations.get(), (totals, failure) -> totals != null ? new Registrations(totals)
                        : new Unanswered("registrations", failure));
            }
            return Behaviors.same();
        }

        /** The membership as this node's cluster extension holds it: a read of its latest state, no message. */
        private void members() {
            ClusterEvent.CurrentClusterState state = Cluster.get(ctx.getSystem()).state();
            Map<String, Integer> byStatus = new HashMap<>();
            for (Member m : state.getMembers()) {
                byStatus.merge(snake(m.status().toString()), 1, Integer::sum);
            }
            figures.updateAndGet(f -> f.withMembers(byStatus, state.getUnreachable().size()));
        }
    }

    /** {@code WeaklyUp} → {@code weakly_up}. */
    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                sb.append('_');
            }
            sb.append(Character.toLowerCase(c));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}
