package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A node whose standard output nobody reads any more (a log collector that stalled, a terminal paused with Ctrl-S,
 * a full pipe) still answers phones: the log is written by a thread of its own, never by the threads that carry
 * calls, and lines that do not fit in its queue are dropped rather than waited for.
 *
 * <p>The node's output goes into a pipe whose reader copies it into the node's log until the ready line and then
 * holds the pipe open without reading: after some 64 KiB (Linux's pipe buffer) every write to stdout blocks. Each
 * call writes two lines (answered, ended), so the calls below write several times that.
 */
class StalledLogOutputTest {
    private static final int CALLS = 600;
    private static final Duration SIPP = Duration.ofSeconds(90);
    /** Copies the node's output up to its ready line, then stops reading while keeping the pipe open. */
    private static final List<String> STALLING_READER = List.of("bash", "-c",
            "\"$@\" 2>&1 | { sed -u '/Switchboard ready/q'; exec sleep 3600; }", "stalled-stdout");

    @Test
    void callsGoOnWhenNobodyReadsTheNodesOutput() {
        Path work = TestFiles.workDir("stalled-log");
        String address = "127.0.0.1:" + FreePorts.udpAndTcp();
        NodeProcess process = NodeProcess.start(work.resolve("node.log"), STALLING_READER,
                List.of("-Dswitchboard.management.port=" + FreePorts.udpAndTcp()),
                "--sip", address, "--data", work.resolve("data").toString(),
                "--subscribers", TestFiles.write(work.resolve("subscribers.csv"), List.of("bob@sip.test,pw")).toString(),
                "--config", TestFiles.write(work.resolve("node.conf"), List.of(
                        "switchboard.proxy.authenticate-callers = off",
                        "switchboard.security.overload.enabled = off")).toString());
        try {
            process.awaitReady(Duration.ofSeconds(90));
            int bobPort = CallScenariosTest.register(work, address, "bob");
            Path csv = TestFiles.write(work.resolve("callee-bob.csv"), List.of("SEQUENTIAL", "bob;sip.test"));
            try (Sipp callee = Sipp.start(work, "uas-bob", null, Sipp.scenario("uas_call.xml"), bobPort,
                    "-m", Integer.toString(CALLS))) {
                Sipp.Result caller = Sipp.run(work, "uac-bob", address, Sipp.scenario("uac_call.xml"), FreePorts.udpAndTcp(),
                        SIPP, "-inf", csv.toString(), "-m", Integer.toString(CALLS), "-r", "100", "-l", "200");
                assertEquals(CALLS, caller.successful(), "every call completes: " + caller.diagnosis());
                assertEquals(0, caller.failed(), caller.diagnosis());
                assertEquals(CALLS, callee.await(SIPP).successful(), "the callee took every call");
            }
            assertTrue(process.alive(), "the node still runs");
        } finally {
            process.close(); // the whole tree: the reader's shell, the node's JVM and the reader's sleep
        }
    }
}
