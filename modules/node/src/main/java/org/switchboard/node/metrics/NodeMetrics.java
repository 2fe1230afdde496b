package org.switchboard.node.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import org.switchboard.node.CallSweeper;
import org.switchboard.node.admin.AdminApi;
import org.switchboard.node.logging.LogQueue;
import org.switchboard.registrar.api.RegistrationEntity;
import org.switchboard.session.api.CallEntity;
import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.hep.CaptureCounters;
import org.switchboard.transport.overload.JournalSamples;
import org.switchboard.transport.overload.Overload;

import com.typesafe.config.Config;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The node's Prometheus metrics ({@code switchboard.metrics}), bound part by part as the node starts each part:
 * the JVM's at once, then the journal's (handed to {@link Overload}), the SIP edge's ({@link SipMetrics}, fed by
 * the router and the send path's tap, as the console's {@code Activity} is), the edge's counters, the node's state
 * and the cluster's figures. README "Observing Switchboard" lists every metric.
 */
public final class NodeMetrics {
    private final MeterRegistry registry;
    private final Config settings;
    private final SipMetrics sip;
    private final JournalMetrics journal;

    NodeMetrics(MeterRegistry registry, Config settings) {
        this.registry = registry;
        this.settings = settings;
        this.sip = new SipMetrics(registry, Clock.systemUTC());
        this.journal = new JournalMetrics(registry);
    }

    /** The metrics of this node when {@code switchboard.metrics.enabled}, its JVM's bound already; else none. */
    public static Optional<NodeMetrics> start(ActorSystem<?> system, Config sb, String version, String commit) {
        Config settings = sb.getConfig("metrics");
        if (!settings.getBoolean("enabled")) {
            return Optional.empty();
        }
        MeterRegistry registry = MetricsContext.get(Adapter.toClassic(system)).registry();
        AutoCloseable gc = jvm(registry, version, commit);
        system.getWhenTerminated().thenRun(() -> close(gc)); // its GC notification listeners
        return Optional.of(new NodeMetrics(registry, settings));
    }

    /** The JVM's and the build's meters; what is returned stops listening to the JVM's GC notifications. */
    static AutoCloseable jvm(MeterRegistry registry, String version, String commit) {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        FunctionCounter.builder("switchboard.log.lines.dropped", LogQueue.class, c -> LogQueue.dropped())
                .description("Log lines dropped because the log's queue was full (stdout not read fast enough)")
                .register(registry);
        Gauge.builder("switchboard.build.info", () -> 1).description("The node's version and commit (value 1)")
                .tag("version", version).tag("commit", commit).strongReference(true).register(registry);
        return gc;
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException(e); // JvmGcMetrics.close throws nothing
        }
    }

    /** The SIP edge's counts: fed by the router (requests), the send path's tap (responses) and the activity (setups). */
    public SipMetrics sip() {
        return sip;
    }

    /** Where the entities' journal samples go (through {@link Overload}). */
    public JournalSamples journal() {
        return journal;
    }

    /** The transport's edge counters, read at each scrape. */
    public void edge(EdgeCounters counters) {
        EdgeMetrics.bind(registry, counters);
    }

    /**
     * What SIP capture did with the messages of sampled calls: {@code switchboard_capture_hep_total{outcome}},
     * {@code queued}, {@code sent}, and what it lost: {@code dropped} (queue full), {@code send_failed},
     * {@code too_large}.
     */
    public void capture(CaptureCounters counters) {
        Map.of("queued", counters.queued, "sent", counters.sent, "dropped", counters.dropped,
                "send_failed", counters.sendFailures, "too_large", counters.tooLarge).forEach((outcome, adder) ->
                FunctionCounter.builder("switchboard.capture.hep", adder, LongAdder::doubleValue)
                        .description("Messages of sampled calls SIP capture (HEP) queued, sent to the collector, or lost")
                        .tag("outcome", outcome).register(registry));
    }

    /** Whether the node serves (its readiness) and whether it sheds new work now. */
    public void node(BooleanSupplier serving, Overload overload) {
        Gauge.builder("switchboard.node.serving", serving, s -> s.getAsBoolean() ? 1 : 0)
                .description("1 while the node serves (GET /ready says 200), 0 while it starts or stops")
                .strongReference(true).register(registry);
        Gauge.builder("switchboard.overload.shedding", overload, o -> o.shedding() ? 1 : 0)
                .description("1 while this node refuses some new REGISTERs and INVITEs with 503 (overload)")
                .strongReference(true).register(registry);
        Gauge.builder("switchboard.overload.admitted", overload, Overload::admittedShare)
                .description("The share of new REGISTERs and INVITEs this node takes now: 1 all, 0 none (overload)")
                .strongReference(true).register(registry);
        FunctionCounter.builder("switchboard.overload.refused", overload, Overload::refusedForJournal)
                .description("New REGISTERs and INVITEs refused with 503 (overload), by the gauge that refused them")
                .tag("gauge", "journal").register(registry);
        FunctionCounter.builder("switchboard.overload.refused", overload, Overload::refusedForLag)
                .description("New REGISTERs and INVITEs refused with 503 (overload), by the gauge that refused them")
                .tag("gauge", "dispatcher").register(registry);
    }

    /**
     * The cluster's figures: members, this node's shards and entities, the calls up, and the registrations counted
     * through {@code admin} every {@code switchboard.metrics.bindings-interval}; refreshed by an actor of this node.
     */
    public void cluster(ActorSystem<?> system, ActorRef<CallSweeper.Command> sweeper, AdminApi admin) {
        List<EntityTypeKey<?>> types = List.of(RegistrationEntity.KEY, CallEntity.KEY);
        Duration bindingsInterval = settings.getDuration("bindings-interval");
        AtomicReference<ClusterFigures> figures = clusterGauges(types.stream().map(EntityTypeKey::name).toList(),
                !bindingsInterval.isZero());
        system.systemActorOf(ClusterGauges.create(figures, sweeper, types, admin::registrationTotals,
                settings.getDuration("refresh-interval"), bindingsInterval), "metrics-cluster-gauges", Props.empty());
    }

    /** The gauges of the cluster's figures, over figures not learnt yet. */
    AtomicReference<ClusterFigures> clusterGauges(List<String> types, boolean registrations) {
        AtomicReference<ClusterFigures> figures = new AtomicReference<>(ClusterFigures.UNKNOWN);
        ClusterGauges.bind(registry, figures, types, registrations);
        return figures;
    }
}
