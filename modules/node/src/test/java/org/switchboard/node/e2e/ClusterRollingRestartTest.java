package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * A rolling restart under constant call load: each core node in turn gets SIGTERM (it leaves the cluster and
 * hands its shards over), is started again and becomes ready, while SIPp keeps placing calls through the
 * transport node. Answered calls move with their shards; ringing calls are handed over to the entity's next
 * node (their transactions written down at hand-off, the entity woken there by its INVITE routed again); calls
 * whose callee lookup fails while the registration moves ask again. No call may fail.
 */
class ClusterRollingRestartTest {
    private static final int RATE = 10;
    private static final int CALLS = 600;
    private static final Duration READY = Duration.ofSeconds(120);

    private static boolean answersPromptly(TestCluster.Member transport) {
        try (UdpPhone phone = new UdpPhone(Integer.parseInt(transport.sip.split(":")[1])).timeout(Duration.ofSeconds(1))) {
            return phone.registerWithAuth("callee", "callee", "pw", Optional.empty(), Optional.empty()).status() == 200;
        } catch (AssertionError slow) {
            return false;
        }
    }

    /** How many Call entities wrote down ringing INVITEs at hand-off, from the core nodes' logs. */
    private static long handedOver(Path work) {
        try (var logs = Files.list(work)) {
            return logs.filter(f -> f.getFileName().toString().startsWith("core-")
                    && f.getFileName().toString().endsWith(".log")).mapToLong(f -> {
                        try (var lines = Files.lines(f)) {
                            return lines.filter(l -> l.contains("ringing INVITE(s) to the entity's next node")).count();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyCoreNodeRestartedInTurnUnderLoadLosesNoCall() {
        Path work = TestFiles.workDir("cluster-rolling");
        List<String> config = List.of("switchboard.proxy.authenticate-callers = off");
        try (TestCluster cluster = TestCluster.withPostgres(work, 2)) {
            cluster.startCores(3, config, READY);
            Path subscribers = TestFiles.subscribers(work, 0, "callee@sip.test,pw");
            TestCluster.Member transport = cluster.add("transport-1", "transport", config, "--subscribers", subscribers.toString());
            transport.process.awaitReady(READY);

            int uasPort = CallScenariosTest.register(work, transport.sip, "callee");
            Path callees = TestFiles.calleeCsv(work, "callee");
            // the callee rings 1 s before answering and each call talks 2 s: at any moment some calls ring and
            // some are answered on every core node. The callee keeps each ended call for Timer J (32 s) like any
            // RFC 3261 UAS: a 200 to BYE lost while the call's shard moves is sent again when the BYE is.
            try (Sipp uas = Sipp.start(work, "uas", null, Sipp.testScenario(work, "uas_call_delayed.xml", Map.of("DELAY", "1000", "TIMEWAIT", "32000")),
                    uasPort, "-m", Integer.toString(CALLS), "-timeout", "300s",
                    // an ACK that arrives after its call's BYE (sharding dropped it at a hand-off; the caller sent
                    // it again on the 200's retransmission) is absorbed, not a reason to abort the call
                    "-default_behaviors", "all,-abortunexp");
                 Sipp uac = Sipp.start(work, "uac", transport.sip, Sipp.testScenario(work, "uac_call_long.xml", Map.of("PAUSE", "2000")),
                         FreePorts.udpAndTcp(), "-inf", callees.toString(), "-m", Integer.toString(CALLS), "-r", Integer.toString(RATE),
                         "-max_non_invite_retrans", "10", "-timeout", "300s")) {
                Await.until("calls flowing", Duration.ofSeconds(30), () -> Sipp.callsTaken(work, "uas") >= 3 * RATE, cluster::tails);
                for (String name : List.of("core-1", "core-2", "core-3")) {
                    TestCluster.Member m = cluster.member(name);
                    int exit = m.process.stop(Duration.ofSeconds(60));
                    // 143: the JVM's code after SIGTERM once its shutdown hook (Akka's coordinated shutdown) has run
                    assertTrue(exit == 0 || exit == 143, name + " exit code " + exit + ":\n" + m.process.tail());
                    assertTrue(m.process.output().contains("Exiting completed"), name + " left the cluster gracefully");
                    cluster.start(m);
                    m.process.awaitReady(READY);
                    // as an operator (or Kubernetes' minReadySeconds) would: the next node goes once the shards the
                    // last one moved are served again, here the callee's registration answering at once
                    Await.until("the callee's registration served again", Duration.ofSeconds(30),
                            () -> answersPromptly(transport), cluster::tails);
                }
                Sipp.Result caller = uac.await(Duration.ofSeconds(CALLS / RATE + 90));
                System.out.println("[cluster] rolling restart of 3 core nodes under " + RATE + " calls/s: " + caller.successful()
                        + " calls completed, " + caller.failed() + " failed; ringing calls handed over between nodes: "
                        + handedOver(work));
                assertEquals(CALLS, caller.successful() + caller.failed(), "every call placed ended: " + caller.diagnosis());
                assertEquals(0, caller.failed(), "calls failed during the rolling restart: " + caller.diagnosis()
                        + "\ncallee:" + uas.diagnosis() + cluster.tails());
                Sipp.Result callee = uas.await(Duration.ofSeconds(60));
                assertEquals(CALLS, callee.successful(), "every call reached the callee once: " + callee.diagnosis());
            }
        }
    }
}
