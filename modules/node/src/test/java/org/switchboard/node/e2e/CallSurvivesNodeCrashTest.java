package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Answered calls survive a node killed with SIGKILL: restarted on the same data directory, it routes every
 * BYE sent afterwards (and retransmitted by the caller while it was down) to the far end, which answers 200.
 */
class CallSurvivesNodeCrashTest {
    private static final int CALLS = 50;

    @Test
    void everyByeOfFiftyAnsweredCallsCompletesAfterAKillAndRestart() {
        Path work = TestFiles.workDir("crash-calls");
        int port = FreePorts.udpAndTcp();
        String node = "127.0.0.1:" + port;
        Path subscribers = TestFiles.subscribers(work, 0, "callee@sip.test,calleepw");
        Path config = TestFiles.write(work.resolve("node.conf"), List.of("switchboard.proxy.authenticate-callers = off"));
        String[] args = {"--sip", node, "--data", work.resolve("data").toString(), "--subscribers", subscribers.toString(),
                "--config", config.toString()};
        int uasPort = FreePorts.udpAndTcp();
        Path callees = TestFiles.calleeCsv(work, "callee");
        NodeProcess first = NodeProcess.start(work.resolve("node-1.log"), args).awaitReady(Duration.ofSeconds(90));
        Path reg = TestFiles.registerCsv(work, "callee.csv", List.<String[]>of(new String[] {"callee", "calleepw"}));
        assertEquals(1, Sipp.run(work, "register", node, Sipp.scenario("reg_auth.xml"), uasPort, Duration.ofSeconds(30),
                "-inf", reg.toString(), "-m", "1").successful());
        try (Sipp uas = Sipp.start(work, "uas", null, Sipp.scenario("uas_call.xml"), uasPort, "-m", Integer.toString(CALLS))) {
            // calls talk 10 s: long enough for all to be answered, the node killed and started again before BYE
            try (Sipp uac = Sipp.start(work, "uac", node, Sipp.testScenario(work, "uac_call_long.xml", Map.of("PAUSE", "10000")),
                    FreePorts.udpAndTcp(), "-inf", callees.toString(), "-m", Integer.toString(CALLS), "-r", "25",
                    "-max_non_invite_retrans", "10")) {
                Await.until("all " + CALLS + " calls answered", Duration.ofSeconds(30),
                        () -> Sipp.callsTaken(work, "uas") >= CALLS, first::tail);
                first.kill(Duration.ofSeconds(30));
                try (NodeProcess second = NodeProcess.start(work.resolve("node-2.log"), args)
                        .awaitReady(Duration.ofSeconds(90))) {
                    Sipp.Result caller = uac.await(Duration.ofSeconds(90));
                    assertEquals(CALLS, caller.successful(), "every BYE got its 200: " + caller.diagnosis() + second.tail());
                    assertEquals(0, caller.failed(), caller.diagnosis());
                    Sipp.Result callee = uas.await(Duration.ofSeconds(30));
                    assertEquals(CALLS, callee.successful(), callee.diagnosis());
                    everyCallHasOneCompleteRecord(work.resolve("data"), second);
                }
            }
        } finally {
            first.close();
        }
    }

    /**
     * The CDR writer died with the node between the answers and the ends: restarted from its stored offset, it
     * completes the records it had begun, one per call.
     */
    private static void everyCallHasOneCompleteRecord(Path data, NodeProcess node) {
        AdminHttp api = AdminHttp.of(data);
        String period = "/cdrs?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z";
        String[] csv = {""};
        Await.until(CALLS + " answered and ended calls in the CDRs", Duration.ofSeconds(30), () -> {
            csv[0] = api.get(period).body();
            return csv[0].lines().filter(l -> l.contains(",answered,") && l.contains(",BYE 200,")).count() >= CALLS;
        }, () -> csv[0] + node.tail());
        List<String> records = csv[0].lines().skip(1).toList();
        assertEquals(CALLS, records.size(), "one record per call, none twice: " + csv[0]);
        assertEquals(CALLS, records.stream().map(l -> l.substring(0, l.indexOf(','))).distinct().count(), csv[0]);
    }

}
