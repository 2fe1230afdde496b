package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A transport node killed with SIGKILL: the phones' address for the cluster moves to the other transport node
 * (here a DNAT rule on loopback plays the load balancer or virtual IP that does this in production), and the
 * answered calls are still ended cleanly, with new calls and registrations going through the survivor.
 * Transport nodes hold no state: the survivor recognises the dead node's Record-Route by its cluster token.
 */
class ClusterTransportFailoverTest {
    private static final int CALLS = 20;
    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration SIPP = Duration.ofSeconds(120);

    @Test
    void answeredCallsEndCleanlyThroughTheSurvivingTransportNode() {
        Path work = TestFiles.workDir("cluster-transport");
        List<String> config = List.of("switchboard.proxy.authenticate-callers = off");
        try (TestCluster cluster = TestCluster.withPostgres(work, 2)) {
            cluster.startCores(2, config, READY);
            Path subscribers = TestFiles.subscribers(work, 0, "callee@sip.test,pw", "newcallee@sip.test,pw");
            TestCluster.Member first = cluster.add("transport-1", "transport", "127.0.0.21", config, "--subscribers", subscribers.toString());
            TestCluster.Member second = cluster.add("transport-2", "transport", "127.0.0.22", config);
            first.process.awaitReady(READY);
            second.process.awaitReady(READY);

            int uasPort = CallScenariosTest.register(work, first.sip, "callee");
            Path callees = TestFiles.calleeCsv(work, "callee");
            try (Sipp uas = Sipp.start(work, "uas", null, Sipp.scenario("uas_call.xml"), uasPort, "-m", Integer.toString(CALLS));
                 Sipp uac = Sipp.start(work, "uac", first.sip, Sipp.testScenario(work, "uac_call_long.xml", Map.of("PAUSE", "8000")),
                         FreePorts.udpAndTcp(), "-inf", callees.toString(), "-m", Integer.toString(CALLS), "-r", "20",
                         "-max_non_invite_retrans", "10")) {
                Await.until("all calls answered", Duration.ofSeconds(30), () -> Sipp.callsTaken(work, "uas") >= CALLS, cluster::tails);
                first.process.kill(Duration.ofSeconds(30));
                try {
                    redirect(first.sip, second.sip);
                    Sipp.Result caller = uac.await(Duration.ofSeconds(90));
                    Sipp.Result callee = uas.await(Duration.ofSeconds(30));
                    assertEquals(CALLS, caller.successful(), "every BYE answered 200: " + caller.diagnosis() + cluster.tails());
                    assertEquals(0, caller.failed(), caller.diagnosis());
                    assertEquals(CALLS, callee.successful(), callee.diagnosis());
                } finally {
                    unredirect(first.sip, second.sip);
                }
            }

            // new registrations and calls through the survivor
            int newUas = CallScenariosTest.register(work, second.sip, "newcallee");
            CallScenariosTest.call(work, second.sip, second.process, List.of("SEQUENTIAL", "newcallee;sip.test"), "newcallee",
                    Sipp.scenario("uac_call.xml"), 5, new CallScenariosTest.Callee(Sipp.scenario("uas_call.xml"), newUas));
        }
    }

    /** What a load balancer does when a member fails: UDP for one address goes to another. */
    private static void redirect(String from, String to) {
        dnat("-I", from, to);
    }

    private static void unredirect(String from, String to) {
        dnat("-D", from, to);
    }

    private static void dnat(String action, String from, String to) {
        String[] f = from.split(":");
        Iptables.run("-t", "nat", action, "OUTPUT", "-p", "udp", "-d", f[0], "--dport", f[1], "-j", "DNAT", "--to-destination", to);
    }

}
