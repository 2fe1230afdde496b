package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * The walking skeleton end to end, driven by real SIPp over UDP on loopback against a node in its own JVM:
 * registrations with digest auth, calls through the proxy, and a restart on the same data directory.
 */
class SingleNodeSippTest {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration SIPP = Duration.ofSeconds(120);

    @Test
    void registersHundredUsersCarriesHundredCallsAndKeepsBindingsAcrossRestart() {
        Path work = TestFiles.workDir("single-node");
        int sipPort = FreePorts.udpAndTcp();
        String node = "127.0.0.1:" + sipPort;
        Path subscribers = TestFiles.subscribers(work, 100, "callee@sip.test,calleepw");
        // the reference call scenario's caller is caller@sip.test with no credentials: as in the benchmark,
        // callers are not challenged here (caller authentication has its own test)
        Path config = TestFiles.write(work.resolve("node.conf"), List.of("switchboard.proxy.authenticate-callers = off"));
        Path data = work.resolve("data");
        int uasPort = FreePorts.udpAndTcp();
        String[] args = {"--sip", node, "--data", data.toString(), "--subscribers", subscribers.toString(),
                "--config", config.toString()};

        try (NodeProcess first = NodeProcess.start(work.resolve("node-1.log"), args).awaitReady(READY)) {
            // (a) 100 distinct users REGISTER with digest authentication
            Path users = TestFiles.registerCsv(work, "users.csv", IntStream.range(0, 100)
                    .mapToObj(i -> new String[] {TestFiles.user(i), "pw" + TestFiles.user(i)}).toList());
            Sipp.Result reg = Sipp.run(work, "register-100", node, Sipp.scenario("reg_auth.xml"),
                    FreePorts.udpAndTcp(), SIPP, "-inf", users.toString(), "-m", "100", "-r", "50");
            assertEquals(100, reg.successful(), reg.diagnosis());
            assertEquals(0, reg.failed(), reg.diagnosis());

            // (b) the callee registers from the port its UAS then listens on; 100 calls reach it through the node
            registerCallee(work, node, uasPort);
            callsComplete(work, node, uasPort, 100, "calls-100", first);
            int exit = first.stop(Duration.ofSeconds(60));
            assertTrue(exit == 0 || exit == 143, "node stops cleanly on SIGTERM, exit " + exit + first.tail());
        }

        // (c) a new node on the same data directory still has the callee's binding: no re-registration
        try (NodeProcess second = NodeProcess.start(work.resolve("node-2.log"), args).awaitReady(READY)) {
            callsComplete(work, node, uasPort, 10, "calls-after-restart", second);
        }
    }

    private static void registerCallee(Path work, String node, int uasPort) {
        Path callee = TestFiles.registerCsv(work, "callee.csv", List.<String[]>of(new String[] {"callee", "calleepw"}));
        Sipp.Result reg = Sipp.run(work, "register-callee", node, Sipp.scenario("reg_auth.xml"), uasPort, SIPP,
                "-inf", callee.toString(), "-m", "1");
        assertEquals(1, reg.successful(), reg.diagnosis());
    }

    private static void callsComplete(Path work, String node, int uasPort, int calls, String name, NodeProcess n) {
        Path callees = TestFiles.calleeCsv(work, "callee");
        try (Sipp uas = Sipp.start(work, name + "-uas", null, Sipp.scenario("uas_call.xml"), uasPort,
                "-m", Integer.toString(calls))) {
            Sipp.Result uac = Sipp.run(work, name + "-uac", node, Sipp.scenario("uac_call.xml"), FreePorts.udpAndTcp(),
                    SIPP, "-inf", callees.toString(), "-m", Integer.toString(calls), "-r", "25", "-l", "200");
            assertEquals(calls, uac.successful(), uac.diagnosis() + n.tail());
            assertEquals(0, uac.failed(), uac.diagnosis());
            Sipp.Result callee = uas.await(SIPP);
            assertEquals(calls, callee.successful(), callee.diagnosis());
            assertEquals(0, callee.failed(), callee.diagnosis());
        }
    }
}
