package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Half the calls still ring when the node dies: their callee's 200, sent to the dead node's address, comes in
 * through the survivor and reaches the caller through it, as does a 200 the dead node was relaying when killed.
 */
class ClusterTransportFailoverTest {
    private static final int CALLS = 20;
    private static final Duration READY = Duration.ofSeconds(120);
    /** How long the ringing callee rings: well past the kill, which comes about a second after the first call. */
    private static final Duration RINGING = Duration.ofSeconds(8);

    @Test
    void answeredAndRingingCallsCompleteThroughTheSurvivingTransportNode() {
        Path work = TestFiles.workDir("cluster-transport");
        List<String> config = List.of("switchboard.proxy.authenticate-callers = off");
        try (TestCluster cluster = TestCluster.withPostgres(work, 2)) {
            cluster.startCores(2, config, READY);
            Path subscribers = TestFiles.subscribers(work, 0, "callee@sip.test,pw", "ringing@sip.test,pw",
                    "newcallee@sip.test,pw");
            TestCluster.Member first = cluster.add("transport-1", "transport", "127.0.0.21", config, "--subscribers", subscribers.toString());
            TestCluster.Member second = cluster.add("transport-2", "transport", "127.0.0.22", config);
            first.process.awaitReady(READY);
            second.process.awaitReady(READY);

            int answeringPort = CallScenariosTest.register(work, first.sip, "callee");
            int ringingPort = CallScenariosTest.register(work, first.sip, "ringing");
            // every other call rings long enough for the node to die under it: its 200 comes only after the kill
            Path callees = TestFiles.write(work.resolve("callees.csv"),
                    List.of("SEQUENTIAL", "callee;" + TestFiles.DOMAIN, "ringing;" + TestFiles.DOMAIN));
            String each = Integer.toString(CALLS / 2);
            // callees that ignore an INVITE resent after their 200 (see Sipp.IGNORE_UNEXPECTED)
            try (Sipp answering = Sipp.start(work, "uas", null, Sipp.scenario("uas_call.xml"), answeringPort, "-m", each,
                         "-default_behaviors", Sipp.IGNORE_UNEXPECTED);
                 Sipp ringing = Sipp.start(work, "uas-ringing", null, Sipp.testScenario(work, "uas_call_delayed.xml",
                         Map.of("DELAY", Long.toString(RINGING.toMillis()), "TIMEWAIT", "2000")), ringingPort, "-m", each,
                         "-default_behaviors", Sipp.IGNORE_UNEXPECTED);
                 Sipp uac = Sipp.start(work, "uac", first.sip, Sipp.testScenario(work, "uac_call_long.xml", Map.of("PAUSE", "8000")),
                         FreePorts.udpAndTcp(), "-inf", callees.toString(), "-m", Integer.toString(CALLS), "-r", "20",
                         "-max_non_invite_retrans", "10")) {
                long started = System.nanoTime();
                Await.until("every call taken by its callee", Duration.ofSeconds(30),
                        () -> Sipp.callsTaken(work, "uas") + Sipp.callsTaken(work, "uas-ringing") >= CALLS, cluster::tails);
                first.process.kill(Duration.ofSeconds(30));
                assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(RINGING) < 0,
                        "the node died before the ringing calls were answered");
                try {
                    redirect(first.sip, second.sip);
                    Sipp.Result caller = uac.await(Duration.ofSeconds(90));
                    assertEquals(CALLS, caller.successful(), "every BYE answered 200: " + caller.diagnosis() + cluster.tails());
                    assertEquals(0, caller.failed(), caller.diagnosis());
                    for (Sipp callee : List.of(answering, ringing)) {
                        Sipp.Result r = callee.await(Duration.ofSeconds(30));
                        assertEquals(CALLS / 2, r.successful(), r.diagnosis());
                    }
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
