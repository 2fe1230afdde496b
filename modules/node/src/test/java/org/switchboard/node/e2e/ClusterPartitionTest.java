package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.SipUri;

/**
 * A network partition, made with iptables on loopback: one core node is cut off from the other three nodes
 * (the journal stays reachable from both sides, the dangerous case). The minority downs itself and exits; the
 * majority takes its entities over; no persistence id is ever written by two incarnations at once.
 */
class ClusterPartitionTest {
    private static final String TRANSPORT = "127.0.0.11";
    private static final List<String> CORES = List.of("127.0.0.12", "127.0.0.13", "127.0.0.14");
    private static final String ISOLATED = "127.0.0.14";
    private static final String CHAIN = "sb-partition";
    private static final Path CGROUP = Path.of("/sys/fs/cgroup/unified/sb-partition-test");
    private static final int USERS = 200;
    private static final Duration READY = Duration.ofSeconds(120);

    @Test
    void theMinorityDownsItselfAndNoEntityHasTwoWriters() throws Exception {
        Path work = TestFiles.workDir("cluster-partition");
        List<String> config = List.of("switchboard.proxy.authenticate-callers = off", "switchboard.registrar.min-expires = 1s");
        try (TestCluster cluster = TestCluster.withPostgres(work, CORES.subList(0, 2))) {
            cluster.add("core-1", "core", config).process.awaitReady(READY);
            cluster.add("core-2", "core", config);
            // the isolated node's JVM lives in a cgroup of its own from its first instruction, so that iptables can
            // tell its packets apart: on loopback every connection leaves from 127.0.0.1
            Files.createDirectories(CGROUP);
            cluster.launcher("core-3", List.of("sh", "-c", "echo $$ > " + CGROUP.resolve("cgroup.procs") + " && exec \"$0\" \"$@\""));
            cluster.add("core-3", "core", ISOLATED, config);
            cluster.member("core-2").process.awaitReady(READY);
            cluster.member("core-3").process.awaitReady(READY);
            Path subscribers = TestFiles.subscribers(work, USERS);
            TestCluster.Member transport = cluster.add("transport-1", "transport", TRANSPORT, config, "--subscribers", subscribers.toString());
            transport.process.awaitReady(READY);
            int sipPort = Integer.parseInt(transport.sip.split(":")[1]);
            TestCluster.Member isolated = cluster.member("core-3");

            // every user registered; those living on the node about to be cut off with short bindings, so that
            // its expiry timers write to the journal while it is partitioned (a would-be second writer)
            List<String> onIsolated = new ArrayList<>();
            try (UdpPhone phone = new UdpPhone(TRANSPORT, sipPort)) {
                for (int i = 0; i < USERS; i++) {
                    String user = TestFiles.user(i);
                    assertEquals(200, phone.registerWithAuth(user, user, "pw" + user,
                            Optional.of("<sip:" + user + "@127.0.0.1:" + phone.port() + ">"), Optional.of(600)).status());
                }
                Set<String> shards = TestCluster.shardsOf(isolated, "Registration");
                for (int i = 0; i < USERS; i++) {
                    String user = TestFiles.user(i);
                    if (shards.contains(TestCluster.shardOf(SipUri.parse("sip:" + user + "@sip.test").addressOfRecord()))) {
                        onIsolated.add(user);
                        assertEquals(200, phone.registerWithAuth(user, user, "pw" + user,
                                Optional.of("<sip:" + user + "-short@127.0.0.1:" + phone.port() + ">"), Optional.of(4)).status());
                    }
                }
            }
            assertFalse(onIsolated.isEmpty(), "core-3 hosts some registrations");

            try {
                partition();
                Await.until("the isolated core node to down itself and exit", Duration.ofSeconds(60),
                        () -> !isolated.process.alive(), cluster::tails);
                Await.until("the majority to remove it", Duration.ofSeconds(30),
                        () -> !TestCluster.get(cluster.member("core-1"), "/cluster/members").body().contains(ISOLATED),
                        cluster::tails);
                assertEquals(200, TestCluster.get(cluster.member("core-1"), "/ready").status());
            } finally {
                heal();
            }

            // the majority serves what lived on the minority: every binding there, the short ones expired
            try (UdpPhone phone = new UdpPhone(TRANSPORT, sipPort)) {
                for (String user : onIsolated) {
                    SipResponse r = phone.registerWithAuth(user, user, "pw" + user, Optional.empty(), Optional.empty());
                    assertEquals(200, r.status(), user);
                    assertEquals(1, r.contacts().size(), user + " keeps its long binding, the 4 s one expired: " + r);
                }
            }
            assertEquals(List.of(), interleavedWriters(cluster.jdbcUrl()), "persistence ids written by two incarnations at once");
            String logs = cluster.tails();
            assertFalse(logs.contains("duplicate key value"), "no write collided in the journal");
        } finally {
            Files.deleteIfExists(CGROUP); // empty once its node has exited
        }
    }

    /**
     * Drops every packet between the isolated node and the other nodes, both directions: what the others send to
     * its address, and what its process (its cgroup) sends to theirs. PostgreSQL, on 127.0.0.1, stays reachable.
     */
    private static void partition() {
        Iptables.run("-N", CHAIN);
        Iptables.run("-I", "OUTPUT", "-j", CHAIN);
        for (String other : List.of(TRANSPORT, CORES.get(0), CORES.get(1))) {
            Iptables.run("-A", CHAIN, "-m", "cgroup", "--path", CGROUP.getFileName().toString(), "-d", other, "-j", "DROP");
        }
        Iptables.run("-A", CHAIN, "-d", ISOLATED, "-j", "DROP");
    }

    private static void heal() {
        Iptables.run("-D", "OUTPUT", "-j", CHAIN);
        Iptables.run("-F", CHAIN);
        Iptables.run("-X", CHAIN);
    }

    /**
     * Persistence ids whose events show two writers at once: an incarnation (akka-persistence-jdbc's writer
     * column) that wrote again after another incarnation had taken over.
     */
    private static List<String> interleavedWriters(String url) throws SQLException {
        List<String> bad = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT persistence_id, writer FROM event_journal ORDER BY persistence_id, sequence_number")) {
            Map<String, Set<String>> finished = new HashMap<>();
            Map<String, String> current = new HashMap<>();
            while (rs.next()) {
                String pid = rs.getString(1);
                String writer = rs.getString(2);
                String last = current.put(pid, writer);
                if (last != null && !last.equals(writer)) {
                    Set<String> done = finished.computeIfAbsent(pid, k -> new HashSet<>());
                    done.add(last);
                    if (done.contains(writer)) {
                        bad.add(pid);
                    }
                }
            }
        }
        return bad;
    }
}
