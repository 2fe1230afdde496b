package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.switchboard.sip.SipUri;

/**
 * The cluster of docs/architecture.md ("Roles and processes") in separate JVMs: one stateless transport node,
 * three core nodes, one PostgreSQL journal. Core nodes are killed with SIGKILL; nothing acknowledged may be lost and the survivors must take over
 * the dead node's registrations and calls within SIP's own retransmission window.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverTest {
    private static final int USERS = 1000;
    private static final int CALLS = 100;
    /** Kills in a row: 1 in CI (its time budget); {@code -Dfailover.runs=5} as the README's figures were measured. */
    private static final int FAILOVER_RUNS = Integer.getInteger("failover.runs", 1);
    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration SIPP = Duration.ofSeconds(120);
    private static Path work;
    private static TestCluster cluster;
    private static TestCluster.Member transport;
    private static final String SIZES = "SELECT pg_total_relation_size('event_journal'), pg_total_relation_size('cdr')";
    private static final List<String> CORES = List.of("core-1", "core-2", "core-3");

    @BeforeAll
    static void startCluster() {
        work = TestFiles.workDir("cluster-failover");
        cluster = TestCluster.withPostgres(work, 2);
        List<String> config = List.of("switchboard.proxy.authenticate-callers = off");
        cluster.startCores(3, config, READY);
        Path subscribers = TestFiles.subscribers(work, USERS, "callee@sip.test,pw", "holder@sip.test,pw");
        transport = cluster.add("transport-1", "transport", config, "--subscribers", subscribers.toString());
        transport.process.awaitReady(READY);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void everyNodeIsReadyAndTheTransportNodeHostsNoShards() {
        for (String name : List.of("core-1", "core-2", "core-3", "transport-1")) {
            TestCluster.Member m = cluster.member(name);
            assertEquals(200, TestCluster.get(m, "/ready").status(), name + " /ready");
            assertEquals(200, TestCluster.get(m, "/alive").status(), name + " /alive");
        }
        String members = TestCluster.get(transport, "/cluster/members").body();
        assertEquals(4, members.split("\"status\":\"Up\"", -1).length - 1, members);
    }

    @Test
    @Order(2)
    void aKilledCoreNodeLosesNoRegistrationAndNoAnsweredCall() {
        // 1,000 users registered through the transport node
        Path users = TestFiles.registerCsv(work, "users.csv", IntStream.range(0, USERS)
                .mapToObj(i -> new String[] {TestFiles.user(i), "pw" + TestFiles.user(i)}).toList());
        Sipp.Result reg = Sipp.run(work, "register-users", transport.sip, Sipp.scenario("reg_auth.xml"),
                FreePorts.udpAndTcp(), SIPP, "-inf", users.toString(), "-m", Integer.toString(USERS), "-r", "100", "-l", "1000");
        assertEquals(USERS, reg.successful(), reg.diagnosis());
        assertTrue(TestCluster.shardsOf(transport, "Registration").isEmpty(), "a transport node hosts no shards");

        // 100 answered calls, spread over the core nodes by Call-ID
        int uasPort = CallScenariosTest.register(work, transport.sip, "callee");
        Path callees = TestFiles.calleeCsv(work, "callee");
        TestCluster.Member victim = cluster.member("core-2");
        long[] sizesBefore = cluster.counts(SIZES);
        // the callee ignores an INVITE sent again after its 200, as RFC 6026's Accepted state does: on a loaded
        // machine the proxy may see the 180 after T1 and resend the INVITE (Timer A); SIPp would abort the call
        try (Sipp uas = Sipp.start(work, "uas", null, Sipp.scenario("uas_call.xml"), uasPort, "-m", Integer.toString(CALLS),
                     "-default_behaviors", Sipp.IGNORE_UNEXPECTED);
             Sipp uac = Sipp.start(work, "uac", transport.sip, Sipp.testScenario(work, "uac_call_long.xml", Map.of("PAUSE", "8000")),
                     FreePorts.udpAndTcp(), "-inf", callees.toString(), "-m", Integer.toString(CALLS), "-r", "50",
                     "-max_non_invite_retrans", "10")) {
            Await.until("all " + CALLS + " calls answered", Duration.ofSeconds(30), () -> Sipp.callsTaken(work, "uas") >= CALLS, cluster::tails);
            Set<String> victimCalls = TestCluster.shardsOf(victim, "Call");
            assertFalse(victimCalls.isEmpty(), "core-2 hosts some of the calls");
            victim.process.kill(Duration.ofSeconds(30));

            // every call ends with a BYE answered 200 by the far end, within the BYE's own 32 s of retransmissions
            Sipp.Result caller = uac.await(Duration.ofSeconds(90));
            Sipp.Result callee = uas.await(Duration.ofSeconds(30));
            report("core node killed with " + victimCalls.size() + " of the call shards: BYEs answered " + caller.successful()
                    + "/" + CALLS + ", failed " + caller.failed() + ", BYE retransmissions " + caller.retransmissions());
            assertEquals(CALLS, caller.successful(), "every BYE got its 200: " + caller.diagnosis() + cluster.tails());
            assertEquals(0, caller.failed(), caller.diagnosis());
            assertEquals(CALLS, callee.successful(), callee.diagnosis());
        }

        // each of those calls has its call detail record, answered and ended, once: written by the CDR writer
        // wherever it runs now (it may have been on the killed node), from the offset it stored
        String answered = "SELECT COUNT(*), COUNT(DISTINCT \"call_id\") FROM \"cdr\" WHERE \"callee\" = 'sip:callee@sip.test'"
                + " AND \"disposition\" = 'answered' AND \"answer_ms\" > 0 AND \"end_ms\" >= \"answer_ms\"";
        long[] records = {0, 0};
        Await.until(CALLS + " CDRs of answered and ended calls", Duration.ofSeconds(30), () -> {
            long[] now = cluster.counts(answered);
            records[0] = now[0];
            records[1] = now[1];
            return now[0] >= CALLS;
        }, () -> java.util.Arrays.toString(records) + cluster.tails());
        long[] all = cluster.counts("SELECT COUNT(*), COUNT(DISTINCT \"call_id\") FROM \"cdr\""
                + " WHERE \"callee\" = 'sip:callee@sip.test'");
        report("CDRs of the " + CALLS + " calls after the kill: " + all[0] + " (distinct Call-IDs " + all[1] + ")");
        assertEquals(CALLS, all[0], "one CDR per call, none twice");
        assertEquals(CALLS, all[1], "one CDR per call, none twice");
        // what a call costs the database (README, "Retention"): its journal rows, kept keep-call-events, and its CDR
        long[] sizesAfter = cluster.counts(SIZES);
        long[] callRows = cluster.counts("SELECT COUNT(*), SUM(pg_column_size(j.*)) FROM event_journal j"
                + " WHERE persistence_id LIKE 'Call|%'");
        report("database growth per answered call (PostgreSQL, " + CALLS + " calls): event_journal "
                + (sizesAfter[0] - sizesBefore[0]) / CALLS + " B with its indexes (" + callRows[0] + " rows of "
                + callRows[1] / Math.max(1, callRows[0]) + " B), cdr " + (sizesAfter[1] - sizesBefore[1]) / CALLS
                + " B with its indexes");

        // new calls with a re-INVITE (hold, unhold) on the survivors
        int holder = CallScenariosTest.register(work, transport.sip, "holder");
        CallScenariosTest.call(work, transport.sip, transport.process, List.of("SEQUENTIAL", "holder;sip.test"), "holder",
                Sipp.testScenario(work, "uac_call_holds.xml", Map.of()), 5,
                new CallScenariosTest.Callee(Sipp.testScenario(work, "uas_answers_holds.xml", Map.of()), holder));

        // every one of the 1,000 users still has its binding
        int lost = 0;
        try (UdpPhone phone = new UdpPhone(Integer.parseInt(transport.sip.split(":")[1]))) {
            for (int i = 0; i < USERS; i++) {
                String user = TestFiles.user(i);
                if (phone.registerWithAuth(user, user, "pw" + user, Optional.empty(), Optional.empty()).contacts().isEmpty()) {
                    lost++;
                }
            }
        }
        report("bindings lost after the kill: " + lost + " of " + USERS);
        assertEquals(0, lost, "registrations lost");
    }

    /**
     * From SIGKILL of a core node to the first REGISTER answered for an address-of-record whose Registration lived
     * on it, over several kills (the killed node is started again between runs, and the next victim is the core
     * node then hosting the probed AOR).
     */
    @Test
    @Order(3)
    void failoverEndsWithinOneTransactionTimeoutAndIsMeasured() {
        List<Long> millis = new ArrayList<>();
        int sipPort = Integer.parseInt(transport.sip.split(":")[1]);
        for (int run = 0; run < FAILOVER_RUNS; run++) {
            for (String name : CORES) {
                TestCluster.Member m = cluster.member(name);
                if (!m.process.alive()) {
                    cluster.start(m);
                    m.process.awaitReady(READY);
                }
            }
            // wake a spread of AORs so that every core hosts some, then pick one hosted by a core that is not the
            // oldest member where it can (killing the oldest also moves the shard coordinator)
            Probe probe = findProbe(sipPort, run);
            long killedAt = System.nanoTime();
            probe.host.process.kill(Duration.ofSeconds(30));
            long took = firstAnswer(sipPort, probe.user, Duration.ofSeconds(60)) - killedAt;
            millis.add(took / 1_000_000);
            report("failover run " + (run + 1) + ": " + probe.host.name + " killed, " + probe.user + " answered after "
                    + took / 1_000_000 + " ms");
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        long median = sorted.get(sorted.size() / 2);
        long max = sorted.get(sorted.size() - 1);
        report("failover over " + FAILOVER_RUNS + " kills: median " + median + " ms, max " + max + " ms " + millis
                + (max <= 10_000 ? " (goal 10 s met)" : " (goal 10 s NOT met)"));
        // what must hold on any machine: the survivors serve within a UDP transaction's 32 s, so a retransmitted
        // request still completes; the 10 s goal is a figure of this machine, reported above and in the README
        assertTrue(max < 32_000, "failover within SIP's 32 s transaction timeout, took " + millis);
    }

    private record Probe(String user, TestCluster.Member host) {
    }

    private static Probe findProbe(int sipPort, int run) {
        for (int attempt = 0; attempt < 3; attempt++) {
            for (int i = 0; i < 60; i++) {
                String user = TestFiles.user((run * 97 + i * 13) % USERS);
                // a node that just came back takes shards over by rebalancing, and a shard being moved can be
                // unserved for several seconds (sharding's coordinator retries a state write after 5 s): allow
                // SIP's own transaction bound, 32 s, as a phone retransmitting a REGISTER would
                firstAnswer(sipPort, user, Duration.ofSeconds(32));
            }
            for (int i = 0; i < 60; i++) {
                String user = TestFiles.user((run * 97 + i * 13) % USERS);
                String shard = TestCluster.shardOf(SipUri.parse("sip:" + user + "@" + TestFiles.DOMAIN).addressOfRecord());
                for (String name : List.of("core-2", "core-3", "core-1")) {
                    TestCluster.Member m = cluster.member(name);
                    if (m.process.alive() && TestCluster.shardsOf(m, "Registration").contains(shard)) {
                        return new Probe(user, m);
                    }
                }
            }
        }
        throw new AssertionError("no probed AOR found on any core node:\n" + cluster.tails());
    }

    /** Sends a fresh REGISTER for the user every 200 ms until any final answer comes; returns its System.nanoTime. */
    private static long firstAnswer(int sipPort, String user, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(200);
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", sipPort);
            byte[] buf = new byte[65535];
            String callId = UUID.randomUUID().toString();
            for (int cseq = 1; System.nanoTime() < deadline; cseq++) {
                byte[] out = ("REGISTER sip:" + TestFiles.DOMAIN + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", "") + "\r\n"
                        + "Max-Forwards: 70\r\nFrom: <sip:" + user + "@" + TestFiles.DOMAIN + ">;tag=p" + cseq + "\r\n"
                        + "To: <sip:" + user + "@" + TestFiles.DOMAIN + ">\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + " REGISTER\r\n"
                        + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(out, out.length, server));
                try {
                    DatagramPacket in = new DatagramPacket(buf, buf.length);
                    socket.receive(in);
                    String status = new String(buf, 0, Math.min(in.getLength(), 12), StandardCharsets.US_ASCII);
                    if (status.startsWith("SIP/2.0 4") || status.startsWith("SIP/2.0 2")) {
                        return System.nanoTime();
                    }
                } catch (SocketTimeoutException silent) {
                    // the entity is not served yet: ask again
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no answer for " + user + " within " + limit.toSeconds() + " s:\n" + cluster.tails());
    }

    /** Figures for the README and the closing note: printed and kept in target/test-work/cluster-figures.txt. */
    private static void report(String line) {
        System.out.println("[cluster] " + line);
        try {
            Files.writeString(work.getParent().resolve("cluster-figures.txt"), line + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
