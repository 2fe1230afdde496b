package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@code deploy/local-cluster}, as operators and scripts use it: start prints one line per node in exactly the
 * documented form once all are ready, the cluster registers a phone through either transport node, stop ends
 * every process, PostgreSQL's included. The cluster's directory is inside a private one (mode 0700, as
 * {@code mktemp -d} makes it), which PostgreSQL's own account cannot enter when the script runs as root.
 */
class LocalClusterScriptIT {

    @Test
    void startsFiveReadyNodesAndStopsThem() throws Exception {
        Path work = TestFiles.workDir("local-cluster");
        Path script = Sipp.scenario("reg_auth.xml").getParent().getParent().getParent().resolve("deploy/local-cluster");
        Path subscribers = TestFiles.write(work.resolve("subscribers.csv"), List.of("alice@sip.test,alicepw"));
        Path privateDir = Files.createDirectories(work.resolve("private"));
        Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx------"));
        Path dir = privateDir.resolve("cluster");
        try {
            Run start = run(work, "start.out", script.toString(), "start", "--dir", dir.toString(), "--subscribers", subscribers.toString());
            assertEquals(0, start.exit(), start.output());
            List<String> lines = start.output().lines().filter(l -> !l.startsWith("local-cluster:")).toList();
            assertEquals(5, lines.size(), start.output());
            for (String line : lines) {
                assertTrue(line.matches("(transport \\d+ sip=127\\.0\\.0\\.\\d+:5060|core \\d+ sip=-) mgmt=127\\.0\\.0\\.\\d+:8558"),
                        "line format: " + line);
            }
            for (String transport : List.of("127.0.0.2:5060", "127.0.0.3:5060")) {
                Path csv = TestFiles.registerCsv(work, "alice-" + transport.charAt(8) + ".csv", List.<String[]>of(new String[] {"alice", "alicepw"}));
                Sipp.Result reg = Sipp.run(work, "register-via-" + transport.charAt(8), transport, Sipp.scenario("reg_auth.xml"),
                        FreePorts.udpAndTcp(), java.time.Duration.ofSeconds(30), "-inf", csv.toString(), "-m", "1");
                assertEquals(1, reg.successful(), "REGISTER through " + transport + reg.diagnosis());
            }
        } finally {
            Run stop = run(work, "stop.out", script.toString(), "stop", "--dir", dir.toString());
            assertEquals(0, stop.exit(), stop.output());
        }
        try (var pids = Files.list(dir)) {
            assertTrue(pids.noneMatch(p -> p.toString().endsWith(".pid")), "no node left running");
        }
        try (Socket postgres = new Socket()) {
            postgres.connect(new InetSocketAddress("127.0.0.1", 15432), 2000);
            throw new AssertionError("PostgreSQL still listens on 127.0.0.1:15432 after stop");
        } catch (ConnectException expected) {
            // stopped
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run run(Path work, String log, String... command) throws InterruptedException {
        try {
            Path out = work.resolve(log);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("deploy/local-cluster did not finish within 300 s:\n" + Files.readString(out));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
