package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


/**
 * bin/switchboard-admin as an operator uses it on a node started with the defaults: no flags, from the directory
 * that holds the node's data (it finds the management address and the token there), against a node in its own JVM
 * with SIPp as the phones.
 */
class AdminCliTest {
    private static final Duration SIPP = Duration.ofSeconds(60);
    @RegisterExtension
    static final SingleNode node = SingleNode.of("admin-cli", List.of("held@sip.test,pw"),
            List.of("switchboard.proxy.authenticate-callers = off"));

    private static AdminCliRun cli(String... args) {
        return AdminCliRun.of(node.work(), args);
    }

    @Test
    void aSubscriberAddedWithTheCliRegistersAtOnceAndIsRefusedOnceDisabled() {
        AdminCliRun added = cli("subscriber", "add", "zoe@sip.test", "--password", "zoepw");
        assertEquals(0, added.exit(), added.err());
        int port = AdminApiTest.register(node, "zoe", "zoepw", 200);
        AdminCliRun bindings = cli("registrations", "zoe@sip.test");
        assertEquals(0, bindings.exit(), bindings.err());
        assertTrue(bindings.out().contains("127.0.0.1:" + port), bindings.out());

        assertEquals(0, cli("subscriber", "disable", "zoe@sip.test").exit());
        AdminApiTest.register(node, "zoe", "zoepw", 403);
        AdminCliRun shown = cli("subscriber", "show", "zoe@sip.test", "--json");
        assertEquals(0, shown.exit(), shown.err());
        assertTrue(shown.json().path("enabled").isBoolean() && !shown.json().path("enabled").asBoolean(),
                shown.out());
    }

    @Test
    void theNodesRefusalAndABadCommandLineHaveTheirExitCodes() {
        AdminCliRun missing = cli("subscriber", "show", "nobody@sip.test");
        assertEquals(1, missing.exit(), missing.out());
        assertTrue(missing.err().contains("no subscriber nobody@sip.test"), missing.err());
        assertEquals(2, cli("subscriber", "add").exit(), "no AOR: usage");
        AdminCliRun cluster = cli("cluster");
        assertEquals(0, cluster.exit(), cluster.err());
        assertTrue(cluster.out().contains("Up"), cluster.out());
    }

    @Test
    void hangupEndsALiveCallWithAByeToEachSide() {
        int uasPort = CallScenariosTest.register(node, "held");
        Path csv = TestFiles.write(node.work().resolve("callee-held.csv"), List.of("SEQUENTIAL", "held;sip.test"));
        try (Sipp callee = Sipp.start(node.work(), "uas-held", null,
                Sipp.testScenario(node.work(), "uas_session_expires.xml", Map.of()), uasPort, "-m", "1");
             Sipp caller = Sipp.start(node.work(), "uac-held", node.address(),
                     Sipp.testScenario(node.work(), "uac_session_expires.xml", Map.of("SE", "1800")),
                     FreePorts.udpAndTcp(), "-inf", csv.toString(), "-m", "1")) {
            String[] callId = {""};
            Await.until("the CLI lists the call", Duration.ofSeconds(15), () -> {
                AdminCliRun calls = cli("calls", "--json");
                callId[0] = StreamSupport.stream(calls.json().path("calls").spliterator(), false)
                        .filter(c -> c.path("to").asText().contains("held@sip.test"))
                        .map(c -> c.path("callId").asText()).findFirst().orElse("");
                return !callId[0].isEmpty();
            }, () -> cli("calls").out());
            AdminCliRun table = cli("calls");
            assertTrue(table.out().contains(callId[0]), table.out());
            AdminCliRun hangup = cli("hangup", callId[0]);
            assertEquals(0, hangup.exit(), hangup.err());
            assertEquals(1, caller.await(SIPP).successful(), "the caller got the BYE");
            assertEquals(1, callee.await(SIPP).successful(), "the callee got the BYE");
            assertEquals(1, cli("hangup", callId[0]).exit(), "no longer up: the node refuses");
        }
    }
}
