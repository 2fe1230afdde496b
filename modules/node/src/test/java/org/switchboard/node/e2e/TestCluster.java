package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A Switchboard cluster of separate JVMs on loopback, sharing one real PostgreSQL journal (zonky's embedded
 * binaries). Each node has fixed cluster and management ports, so a killed node can
 * be started again as the same member address; the first core nodes are the seed nodes. Like a production
 * cluster, every node has the cluster's secret and talks to the others over mutual TLS, with a certificate of its
 * own from the cluster's throw-away CA.
 */
final class TestCluster implements AutoCloseable {
    /** One node: its ports (SIP only for the transport role) and its process, replaced when restarted. */
    static final class Member {
        final String name;
        final String role;
        final String host;
        final int clusterPort;
        final int managementPort;
        final String sip;
        final Path config;
        NodeProcess process;
        int starts;

        Member(String name, String role, String host, int clusterPort, int managementPort, String sip, Path config) {
            this.name = name;
            this.role = role;
            this.host = host;
            this.clusterPort = clusterPort;
            this.managementPort = managementPort;
            this.sip = sip;
            this.config = config;
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Path work;
    private EmbeddedPostgres postgres;
    private final int postgresPort;
    private boolean postgresRunning = true;
    private final List<String> seeds;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Map<String, List<String>> launchers = new java.util.HashMap<>();

    /** Starts the named member (now or later) through this launcher command, e.g. into a cgroup. */
    void launcher(String name, List<String> command) {
        launchers.put(name, List.copyOf(command));
    }

    private final String secret = randomSecret();
    private final TestCertificates certificates;

    private TestCluster(Path work, EmbeddedPostgres postgres, List<String> seeds) {
        this.work = work;
        this.postgres = postgres;
        this.postgresPort = postgres.getPort();
        this.seeds = seeds;
        this.certificates = TestCertificates.authority(work.resolve("tls"), "switchboard test CA");
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

    /** Starts PostgreSQL; nodes come with {@link #add}. {@code seeds} cluster ports are reserved for the first cores. */
    static TestCluster withPostgres(Path work, int seeds) {
        return withPostgres(work, java.util.Collections.nCopies(seeds, "127.0.0.1"));
    }

    /** As above, the first cores on the given loopback addresses (one per seed). */
    static TestCluster withPostgres(Path work, List<String> seedHosts) {
        try {
            EmbeddedPostgres pg = postgres(work, 0);
            List<String> seeds = seedHosts.stream().map(h -> h + ":" + FreePorts.udpAndTcp()).toList();
            return new TestCluster(work, pg, seeds);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** PostgreSQL on the work directory's pg-data (new there, so created); its data outlives a stop. */
    private static EmbeddedPostgres postgres(Path work, int port) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(work.resolve("pg-bin").toFile())
                .setDataDirectory(work.resolve("pg-data"))
                .setCleanDataDirectory(false)
                // the nodes are killed here, not PostgreSQL: its own durability settings are zonky's
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", work.resolve("pg-data").toString())
                .setServerConfig("max_connections", "100");
        return (port == 0 ? builder : builder.setPort(port)).start();
    }

    /** A journal outage: PostgreSQL stops (its data stays). */
    void stopPostgres() {
        try {
            postgresRunning = false;
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The journal back: PostgreSQL on the same port and data. */
    void startPostgresAgain() {
        try {
            postgres = postgres(work, postgresPort);
            postgresRunning = true;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start again", e);
        }
    }

    /**
     * Writes the node's configuration and starts it (not waiting). The n-th core node added takes the n-th seed
     * port while there are any.
     */
    Member add(String name, String role, List<String> extraConfig, String... args) {
        return add(name, role, "127.0.0.1", extraConfig, args);
    }

    /** As above, on a loopback address of its own (seed cores take their seed's address). */
    Member add(String name, String role, String host, List<String> extraConfig, String... args) {
        long cores = members.values().stream().filter(m -> m.role.equals("core")).count();
        boolean seed = role.equals("core") && cores < seeds.size();
        String address = seed ? seeds.get((int) cores).split(":")[0] : host;
        int clusterPort = seed ? Integer.parseInt(seeds.get((int) cores).split(":")[1]) : FreePorts.udpAndTcp();
        String sip = role.equals("transport") ? address + ":" + FreePorts.udpAndTcp() : "-";
        int managementPort = FreePorts.udpAndTcp();
        List<String> lines = new ArrayList<>(List.of(
                "switchboard.roles = [" + role + "]",
                "switchboard.journal { dialect = postgres, url = \"jdbc:postgresql://127.0.0.1:" + postgresPort
                        + "/postgres\", user = postgres, password = \"\" }",
                "switchboard.cluster { host = \"" + address + "\", port = " + clusterPort + ", seed-nodes = ["
                        + seeds.stream().map(a -> "\"akka://switchboard@" + a + "\"").collect(Collectors.joining(", "))
                        + "] }",
                "switchboard.management.port = " + managementPort,
                "switchboard.cluster-secret = \"" + secret + "\"",
                // these tests count lost calls across failovers: a 503 shed because a shared 2-core test machine
                // starved the JVMs is not what they measure (OverloadSheddingTest covers shedding)
                "switchboard.security.overload.enabled = off"));
        lines.addAll(certificates.issue(name, address).config());
        lines.addAll(extraConfig);
        Path config = TestFiles.write(work.resolve(name + ".conf"), lines);
        Member m = new Member(name, role, address, clusterPort, managementPort, sip, config);
        members.put(name, m);
        start(m, args);
        return m;
    }

    /**
     * Starts core nodes core-1..core-N and returns once all are ready: the first alone, since it creates the
     * journal schema, then the others together.
     */
    void startCores(int count, List<String> config, Duration ready) {
        add("core-1", "core", config).process.awaitReady(ready);
        for (int i = 2; i <= count; i++) {
            add("core-" + i, "core", config);
        }
        for (int i = 2; i <= count; i++) {
            member("core-" + i).process.awaitReady(ready);
        }
    }

    /** Starts (or starts again, after a kill) the member's JVM with the same addresses. */
    void start(Member m, String... args) {
        List<String> argv = new ArrayList<>(List.of("--config", m.config.toString()));
        if (!m.sip.equals("-")) {
            argv.addAll(List.of("--sip", m.sip));
        }
        argv.addAll(List.of(args));
        m.starts++;
        m.process = NodeProcess.start(work.resolve(m.name + "-" + m.starts + ".log"), launchers.getOrDefault(m.name, List.of()),
                List.of("-Dswitchboard.management.port=" + m.managementPort), argv.toArray(String[]::new));
    }

    /** The cluster's CA, to issue more certificates. */
    TestCertificates certificates() {
        return certificates;
    }

    /** The journal database, for checks of what was written. */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres";
    }

    /**
     * Starts {@code cores} core nodes, then one transport node, "transport-1", that imports these subscriber lines
     * ({@code user@domain,password}); returns the transport node once ready.
     */
    Member startCoresAndTransport(int cores, List<String> config, Duration ready, String... subscribers) {
        startCores(cores, config, ready);
        Path file = TestFiles.subscribers(work, 0, subscribers);
        Member transport = add("transport-1", "transport", config, "--subscribers", file.toString());
        transport.process.awaitReady(ready);
        return transport;
    }

    /** The first row's numbers of a query of the journal database (counts). */
    long[] counts(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), "postgres", "");
             PreparedStatement st = c.prepareStatement(sql);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            long[] out = new long[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = rs.getLong(i + 1);
            }
            return out;
        } catch (SQLException e) {
            throw new AssertionError("cannot read the journal database: " + e, e);
        }
    }

    /** The serializer manifests (event class, with "#version" once migrated) of an entity's events, in order. */
    List<String> journalledEvents(String persistenceId) {
        List<String> events = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl(), "postgres", "");
             PreparedStatement st = c.prepareStatement("SELECT event_ser_manifest FROM event_journal"
                     + " WHERE persistence_id = ? ORDER BY sequence_number")) {
            st.setString(1, persistenceId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    events.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot read the journal: " + e, e);
        }
        return events;
    }

    Member member(String name) {
        return members.get(name);
    }

    /** GET on a member's management endpoint: status and body, or status -1 when nothing answers. */
    static HttpResult get(Member m, String path) {
        return request(m, "GET", path, "");
    }

    /** Any method on a member's management endpoint, with a form body (empty: none). */
    static HttpResult request(Member m, String method, String path, String form) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + m.host + ":" + m.managementPort + path))
                    .timeout(Duration.ofSeconds(5));
            if (form.isEmpty()) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/x-www-form-urlencoded")
                        .method(method, HttpRequest.BodyPublishers.ofString(form));
            }
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new HttpResult(r.statusCode(), r.body());
        } catch (IOException e) {
            return new HttpResult(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HttpResult(-1, "interrupted");
        }
    }

    record HttpResult(int status, String body) {
    }

    /** The shard ids of an entity type that this member hosts now (Akka Management's /cluster/shards). */
    static Set<String> shardsOf(Member m, String typeName) {
        HttpResult r = get(m, "/cluster/shards/" + typeName);
        Matcher matcher = Pattern.compile("\"shardId\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        Set<String> shards = new java.util.HashSet<>();
        while (matcher.find()) {
            shards.add(matcher.group(1));
        }
        return shards;
    }

    /** Akka's default shard of an entity id (HashCodeMessageExtractor, akka.cluster.sharding.number-of-shards = 1000). */
    static String shardOf(String entityId) {
        return Integer.toString(Math.abs(entityId.hashCode() % 1000));
    }

    String tails() {
        return members.values().stream().map(m -> m.process.tail()).collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        members.values().forEach(m -> m.process.close());
        if (!postgresRunning) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
