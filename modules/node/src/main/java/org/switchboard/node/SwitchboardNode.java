package org.switchboard.node;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.node.activity.Activity;
import org.switchboard.node.admin.AdminApi;
import org.switchboard.node.admin.AdminContext;
import org.switchboard.node.admin.AdminToken;
import org.switchboard.node.metrics.InboundRequests;
import org.switchboard.node.metrics.NodeMetrics;
import org.switchboard.node.warmup.WarmUp;
import org.switchboard.node.warmup.WarmUpSettings;
import org.switchboard.registrar.RegistrarSettings;
import org.switchboard.registrar.Registration;
import org.switchboard.registrar.api.AwakeRegistrations;
import org.switchboard.session.api.AwakeCalls;
import org.switchboard.session.Call;
import org.switchboard.transport.security.Cidr;
import org.switchboard.transport.security.EdgeSecurity;
import org.switchboard.session.SessionSettings;
import org.switchboard.sip.Branches;
import org.switchboard.transport.Edge;
import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.SipTransportNode;
import org.switchboard.transport.TransportSettings;
import org.switchboard.session.MediaEncryptionPolicy;
import org.switchboard.transport.dns.DnsSettings;
import org.switchboard.transport.WebSocketSettings;
import org.switchboard.transport.api.OutboundTap;
import org.switchboard.transport.api.TransportLocator;
import org.switchboard.transport.netty.PortInUseException;
import org.switchboard.transport.overload.DispatcherLagProbe;
import org.switchboard.transport.overload.EdgeAdmission;
import org.switchboard.transport.overload.JournalSamples;
import org.switchboard.transport.overload.Overload;

import com.typesafe.config.Config;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;

/** One running node: the actor system, its shards and (with the transport role) its SIP listeners. */
public final class SwitchboardNode {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardNode.class);
    static final String CORE_ROLE = "core";
    static final String TRANSPORT_ROLE = "transport";

    private final ActorSystem<Void> system;
    private final TerminationWatch termination;
    private final SipTransportNode transport;

    private SwitchboardNode(ActorSystem<Void> system, TerminationWatch termination, SipTransportNode transport) {
        this.system = system;
        this.termination = termination;
        this.transport = transport;
    }

    public static SwitchboardNode start(Config configured) throws StartupException {
        Config sb = configured.getConfig("switchboard");
        // checks of the configuration before anything runs: NodeChecks makes the same for --check-config, keep them alike
        TransportSettings transportSettings = SipTls.check(sb.getConfig("sip"));
        MediaEncryptionPolicy.Mode mediaPolicy = SipTls.mediaPolicy(sb);
        WebSocketSettings webSockets = webSocketSettings(sb);
        EdgeSecurity edgeSecurity = edgeSecurity(sb);
        WarmUpSettings warmUp = warmUpSettings(sb);
        var capture = SipCaptureSetup.check(sb);
        List<String> roles = roles(sb);
        boolean hasTransport = roles.contains(TRANSPORT_ROLE);
        boolean hasCore = roles.contains(CORE_ROLE);
        Optional<ManagementTls> managementTls = ManagementTls.fromConfig(sb);
        Config config = ClusterSecurity.apply(configured);
        sb = config.getConfig("switchboard");
        List<Subscriber> subscribers = sb.getString("subscribers-file").isEmpty() ? List.of()
                : Subscriber.read(Path.of(sb.getString("subscribers-file")));
        if (hasTransport) {
            checkPortFree(transportSettings);
        }
        if (hasCore && sb.getString("journal.dialect").equals("h2")) {
            createDataDir(Path.of(sb.getString("data-dir")));
        }
        if (hasCore) {
            JournalSchema.ensure(config);
        }

        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "switchboard", config);
        TerminationWatch termination = TerminationWatch.of(system);
        try {
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "not-ready",
                    () -> {
                        ServingState.get(Adapter.toClassic(system)).set(false);
                        return CompletableFuture.completedFuture(Done.getInstance());
                    });
            Version version = Version.current();
            Optional<NodeMetrics> metrics = NodeMetrics.start(system, sb, version.version(), version.commitWithState());
            Management.start(system, sb, managementTls);
            joinCluster(system, sb);
            // the shard regions (and with them the core role's replicator, which every shard allocation is written
            // to) start before this node is Up, so that the cluster never counts a member it cannot write to
            Branches branches = new Branches(sb.getString("cluster-secret"));
            Overload overload = startOverloadProbe(system, sb.getConfig("security.overload"),
                    metrics.<JournalSamples>map(NodeMetrics::journal).orElse(JournalSamples.NONE));
            Registration.init(system, RegistrarSettings.fromConfig(sb, Clock.systemUTC()).withOverload(overload),
                    CORE_ROLE);
            TransportDirectory transports = TransportDirectory.start(system);
            SessionSettings session = sessionSettings(sb, transportSettings, branches, subscribers, transports,
                    overload, mediaPolicy, warmUp);
            Call.init(system, session, CORE_ROLE);
            // on a node without the core role, only the way to the sweeper wherever it runs (the admin API's calls)
            ActorRef<CallSweeper.Command> sweeper = CallSweeper.init(system, sb.getConfig("journal"),
                    session.maxCallDuration(), sb.getDuration("session.sweep-interval"), CORE_ROLE);
            if (hasCore) {
                CdrWriter.init(system, CdrWriter.Settings.fromConfig(sb), CORE_ROLE);
            }
            awaitUp(system, sb.getDuration("cluster.join-timeout"));
            Activity activity = new Activity(Clock.systemUTC(),
                    metrics.<Activity.SetupListener>map(NodeMetrics::sip).orElse(Activity.SetupListener.NONE));
            AdminApi adminApi = new AdminApi(system, sweeper, sb.getConfig("journal"), activity, hasTransport);
            startAdmin(system, sb, adminApi, managementTls);
            ServingState serving = ServingState.get(Adapter.toClassic(system));
            metrics.ifPresent(m -> {
                m.node(serving::serving, overload);
                m.cluster(system, sweeper, adminApi);
            });
            ClusterSharding sharding = ClusterSharding.get(system);
            if (!subscribers.isEmpty()) {
                SubscriberImport.run(sharding, subscribers, Duration.ofSeconds(60));
            }
            SipTransportNode sip = null;
            if (hasTransport) {
                EdgeCounters edgeCounters = new EdgeCounters();
                metrics.ifPresent(m -> m.edge(edgeCounters));
                // the send path's one tap: the console's activity, and the metrics' responses when they are on
                OutboundTap tap = metrics.<OutboundTap>map(m -> message -> {
                    activity.sending(message);
                    m.sip().sending(message);
                }).orElse(activity);
                sip = SipTransportNode.start(system, transportSettings, webSockets,
                        edgeSecurity, new Edge(transportSettings, branches),
                        new SipRouter(AwakeCalls.get(system), AwakeRegistrations.get(system),
                                new EdgeAdmission(overload, branches), activity,
                                metrics.<InboundRequests>map(NodeMetrics::sip).orElse(InboundRequests.NONE)),
                        edgeCounters, DnsSettings.fromConfig(sb.getConfig("dns")), transports, tap,
                        SipCaptureSetup.start(system, capture, transportSettings, metrics));
                system.scheduler().scheduleAtFixedRate(Duration.ofSeconds(1), Duration.ofSeconds(1), () -> {
                    activity.tick();
                    metrics.ifPresent(m -> m.sip().expire());
                }, system.executionContext());
                transports.register(system, sip.sendPath());
                SipTransportNode bound = sip;
                CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "sip-unbind",
                        () -> CompletableFuture.supplyAsync(() -> {
                            bound.stop();
                            return Done.getInstance();
                        }));
                if (warmUp.enabled()) {
                    WarmUp.run(sharding, sip, warmUp);
                }
            }
            overload.startMeasuring();
            serving.set(true);
            String sipAddress = hasTransport ? transportSettings.host() + ":" + transportSettings.port() : "-";
            String tlsAddress = sip != null && sip.tlsAddress().isPresent()
                    ? transportSettings.host() + ":" + sip.tlsAddress().get().getPort() : "-";
            log.info("Switchboard ready sip={} tls={} roles={} version={} commit={} gc={} heap-max={}MiB", sipAddress,
                    tlsAddress, roles, version.version(), version.commitWithState(), Collector.name(),
                    Runtime.getRuntime().maxMemory() >> 20);
            return new SwitchboardNode(system, termination, sip);
        } catch (PortInUseException e) {
            system.terminate();
            throw new StartupException(2, e.getMessage());
        } catch (StartupException e) {
            system.terminate();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            system.terminate();
            throw new StartupException(1, "interrupted during start-up");
        } catch (RuntimeException e) {
            system.terminate();
            throw new StartupException(1, "start-up failed: " + e, e);
        }
    }

    /** The admin API on the management port, guarded by its token (made and kept in data-dir when none is set). */
    private static void startAdmin(ActorSystem<Void> system, Config sb, AdminApi api, Optional<ManagementTls> tls)
            throws StartupException {
        if (!sb.getBoolean("admin.enabled") || !sb.getBoolean("management.enabled")) {
            return;
        }
        Path dataDir = Path.of(sb.getString("data-dir"));
        try {
            AdminToken token = AdminToken.resolve(sb.getString("admin.token"), sb.getString("admin.token-file"), dataDir);
            AdminContext.get(Adapter.toClassic(system)).start(api, token,
                    tls.filter(t -> t.clientAuth() != ManagementTls.ClientAuth.NONE).isPresent());
        } catch (IOException | IllegalArgumentException e) {
            throw new StartupException(2, "admin API: " + e.getMessage());
        }
    }

    /** {@code switchboard.roles}: transport, core or both. */
    static List<String> roles(Config sb) throws StartupException {
        List<String> roles = sb.getStringList("roles");
        if (!roles.contains(TRANSPORT_ROLE) && !roles.contains(CORE_ROLE)) {
            throw new StartupException(2, "switchboard.roles must name transport, core or both, not " + roles);
        }
        return roles;
    }

    /** Seed nodes when configured, else Cluster Bootstrap when enabled, else a cluster of this node alone. */
    private static void joinCluster(ActorSystem<Void> system, Config sb) {
        Cluster cluster = Cluster.get(system);
        if (!sb.getStringList("cluster.seed-nodes").isEmpty()) {
            return; // Akka joins the configured seed nodes by itself
        }
        if (sb.getBoolean("cluster.bootstrap.enabled")) {
            ClusterBootstrap.get(Adapter.toClassic(system)).start();
        } else {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }
    }

    /**
     * Measures this node's dispatcher lag into the overload gauge the entities consult (never, when off); the
     * journal samples the entities report go to {@code journal} (the metrics) either way.
     */
    private static Overload startOverloadProbe(ActorSystem<Void> system, Config c, JournalSamples journal) {
        if (!c.getBoolean("enabled")) {
            return Overload.never(journal);
        }
        Overload overload = new Overload(c.getDuration("max-dispatcher-lag"), c.getDuration("max-journal-latency"),
                c.getDuration("window"), c.getDuration("sustained"), (int) c.getDuration("retry-after").toSeconds(),
                Clock.systemUTC(), journal);
        system.systemActorOf(DispatcherLagProbe.create(overload, c.getDuration("probe-interval")), "overload-probe",
                Props.empty());
        return overload;
    }

    private static SessionSettings sessionSettings(Config sb, TransportSettings t, Branches branches,
                                                   List<Subscriber> subscribers, TransportLocator transports,
                                                   Overload overload, MediaEncryptionPolicy.Mode mediaPolicy,
                                                   WarmUpSettings warmUp) {
        Set<String> domains = new HashSet<>(sb.getStringList("domains"));
        subscribers.forEach(s -> domains.add(s.domain()));
        if (!domains.isEmpty() && warmUp.enabled()) {
            domains.add(WarmUpSettings.DOMAIN); // none: every domain is ours already
        }
        Config proxy = sb.getConfig("proxy");
        Map<String, String> routes = new HashMap<>();
        proxy.getConfig("routes").entrySet().forEach(e ->
                routes.put(e.getKey().replace("\"", ""), e.getValue().unwrapped().toString()));
        // no advertised host: Via and Record-Route name the transport node a call came through
        String advertisedHost = sb.getString("sip.advertised-host");
        int advertisedPort = sb.getInt("sip.advertised-port") == 0 ? t.port() : sb.getInt("sip.advertised-port");
        return new SessionSettings(advertisedHost, advertisedPort, t.host(), t.port(), branches,
                sb.getDuration("session.lookup-timeout"), Clock.systemUTC(), domains,
                proxy.getBoolean("authenticate-callers"),
                proxy.getStringList("trusted-peers").stream().map(Cidr::parse).toList(),
                routes, proxy.getBoolean("follow-redirects"), proxy.getInt("max-redirects"),
                (int) sb.getDuration("session.min-session-expires").toSeconds(), sb.getDuration("session.t1"),
                sb.getDuration("session.invite-timeout"), transports, overload, t.tls().port(), mediaPolicy,
                maxCallDuration(sb)).withTopologyHiding(sb.getBoolean("policy.topology-hiding"));
    }

    /** {@code switchboard.session.max-call-duration}: a duration, or 0 / off for no limit. */
    static Duration maxCallDuration(Config sb) {
        String key = "session.max-call-duration";
        com.typesafe.config.ConfigValueType type = sb.getValue(key).valueType();
        boolean off = type == com.typesafe.config.ConfigValueType.BOOLEAN ? !sb.getBoolean(key)
                : type == com.typesafe.config.ConfigValueType.STRING && sb.getString(key).equalsIgnoreCase("off");
        return off ? Duration.ZERO : sb.getDuration(key);
    }

    static WarmUpSettings warmUpSettings(Config sb) throws StartupException {
        try {
            return WarmUpSettings.fromConfig(sb.getConfig("warm-up"));
        } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
            throw new StartupException(2, e.getMessage());
        }
    }

    static EdgeSecurity edgeSecurity(Config sb) throws StartupException {
        try {
            return EdgeSecurity.fromConfig(sb.getConfig("security"));
        } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
            throw new StartupException(2, "switchboard.security: " + e.getMessage());
        }
    }

    private static void awaitUp(ActorSystem<Void> system, Duration timeout) throws StartupException {
        CompletableFuture<Done> up = new CompletableFuture<>();
        akka.cluster.Cluster.get(system).registerOnMemberUp(() -> up.complete(Done.getInstance()));
        try {
            up.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new StartupException(1, "node did not join a cluster within " + timeout.toSeconds() + " s");
        }
    }

    static WebSocketSettings webSocketSettings(Config sb) throws StartupException {
        try {
            WebSocketSettings ws = WebSocketSettings.fromConfig(sb.getConfig("sip"));
            ws.wssContext(); // an unreadable certificate stops start-up here, not at the first connection
            return ws;
        } catch (IllegalArgumentException e) {
            throw new StartupException(2, e.getMessage());
        }
    }

    private static void checkPortFree(TransportSettings s) throws StartupException {
        InetSocketAddress address = new InetSocketAddress(s.host(), s.port());
        if (s.port() == 0) {
            return;
        }
        try (DatagramSocket udp = new DatagramSocket(address); ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(true);
            tcp.bind(address);
        } catch (IOException e) {
            throw new StartupException(2, "SIP address " + s.host() + ":" + s.port() + " is not available: " + e.getMessage());
        }
    }

    private static void createDataDir(Path dir) throws StartupException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StartupException(2, "cannot create data directory " + dir + ": " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw new StartupException(2, "data directory " + dir + " is not writable");
        }
    }

    public ActorSystem<Void> system() {
        return system;
    }

    public CompletionStage<Done> whenTerminated() {
        return system.getWhenTerminated();
    }

    /**
     * Whether the node's stop is over: its actor system has terminated, or the termination has outlasted Akka's own
     * timeout for it and will not be waited for any longer ({@link TerminationWatch}).
     */
    public boolean stopOver() {
        return termination.over();
    }

    /**
     * Whether the node is stopping on its own (downed, left, stopped by the operator): Akka then ends the JVM itself
     * once its shutdown is over or has timed out, rather than the JVM's exit (SIGTERM) starting the shutdown.
     */
    public boolean stoppingOnItsOwn() {
        return CoordinatedShutdown.get(system).getShutdownReason()
                .filter(reason -> !reason.equals(CoordinatedShutdown.jvmExitReason())).isPresent();
    }

    /** Leaves the cluster and stops: the SIP listeners first, then the shards hand over, then the system. */
    public void shutdown() {
        CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
    }

    public boolean hasTransport() {
        return transport != null;
    }
}
