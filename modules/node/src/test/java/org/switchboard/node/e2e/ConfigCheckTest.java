package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@code bin/switchboard --check-config}, {@code --version} and {@code --help} as an operator runs them: Main in its
 * own JVM, stdout and stderr apart. And a node whose configuration has a misspelled key refuses to start.
 */
class ConfigCheckTest {
    private static final Duration EXIT = Duration.ofSeconds(60);

    @Test
    void aGoodFileIsPrintedWithItsSecretsMaskedAndNothingStarts() {
        Path work = TestFiles.workDir("check-good");
        Path config = TestFiles.write(work.resolve("node.conf"), List.of(
                "switchboard {",
                "  domains = [example.com]",
                "  journal { user = \"sb\", password = \"hunter2-journal\" }",
                "  sip.tls { port = 0, private-key = \"/etc/never-read.key\" }",
                "}"));
        Path data = work.resolve("data");
        int port = FreePorts.udpAndTcp();
        Run run = Run.main(work, "--check-config", "--config", config.toString(), "--sip", "127.0.0.1:" + port,
                "--data", data.toString());
        assertEquals(0, run.exit, run.toString());
        assertEquals("", run.err, run.toString());
        assertTrue(run.out.startsWith("switchboard {"), run.toString());
        assertTrue(run.out.contains("port=" + port), run.toString());
        assertTrue(run.out.contains("password=\"********\""), run.toString());
        assertTrue(run.out.contains("private-key=\"********\""), run.toString());
        assertTrue(run.out.contains("domains=[\n"), run.toString());
        assertFalse(run.out.contains("hunter2"), run.toString());
        assertFalse(run.out.contains("never-read"), run.toString());
        assertFalse(run.out.contains("effective-host"), "keys the node derives are not printed: " + run);
        // no journal, no generated cluster secret: the data directory was never made
        assertFalse(Files.exists(data), "check-config created " + data);
    }

    @Test
    void aBadFileHasEveryProblemListedAndExitsWithTwo() {
        Path work = TestFiles.workDir("check-bad");
        Path config = TestFiles.write(work.resolve("node.conf"), List.of(
                "switchboard {",
                "  sip.prot = 5070",
                "  session.t1 = soon",
                "  journal.password = [\"hunter2-journal\"]",
                "}"));
        Run run = Run.main(work, "--check-config", "--config", config.toString());
        assertEquals(2, run.exit, run.toString());
        assertEquals(List.of(
                "switchboard: " + config + ": 2: unknown key switchboard.sip.prot (did you mean switchboard.sip.port?)",
                "switchboard: " + config + ": 4: switchboard.journal.password must be a string, not a list (not shown: a secret)",
                "switchboard: " + config + ": 3: switchboard.session.t1 must be a duration such as 500ms, 30s or 12h, not \"soon\""),
                run.err.lines().toList(), run.toString());
        assertFalse(run.out.contains("hunter2") || run.err.contains("hunter2"), run.toString());
    }

    @Test
    void theNodesOwnStartChecksAreListedTogether() {
        Path work = TestFiles.workDir("check-start");
        Path config = TestFiles.write(work.resolve("node.conf"), List.of(
                "switchboard.roles = [edge]",
                "switchboard.security.rate-limit.burst = 0",
                "switchboard.cluster-secret = short"));
        Run run = Run.main(work, "--check-config", "--config", config.toString());
        assertEquals(2, run.exit, run.toString());
        List<String> lines = run.err.lines().toList();
        assertEquals(3, lines.size(), run.toString());
        assertTrue(lines.get(0).contains("switchboard.roles must name transport, core or both, not [edge]"), run.toString());
        assertTrue(lines.get(1).contains("rate-limit needs requests-per-second > 0, burst >= 1"), run.toString());
        assertTrue(lines.get(2).contains("switchboard.cluster-secret is shorter than 16 characters"), run.toString());
        assertFalse(run.err.contains("short\""), run.toString());
    }

    @Test
    void aHepCollectorThatIsNoHostAndPortIsListed() {
        Path work = TestFiles.workDir("check-hep");
        Path config = TestFiles.write(work.resolve("node.conf"), List.of(
                "switchboard.capture.hep { enabled = on, collector = \"[::1]9060\", sample = 2 }"));
        Run run = Run.main(work, "--check-config", "--config", config.toString());
        assertEquals(2, run.exit, run.toString());
        assertTrue(run.err.contains("switchboard.capture.hep.collector \"[::1]9060\": an IPv6 collector is written "
                + "[address]:port"), run.toString());
    }

    @Test
    void managementTlsWithoutItsFilesOrWithBootstrapIsRefusedWithTheReason() {
        Path work = TestFiles.workDir("check-management-tls");
        Path config = TestFiles.write(work.resolve("node.conf"), List.of(
                "switchboard.management.tls { enabled = on, client-auth = sometimes }"));
        Run run = Run.main(work, "--check-config", "--config", config.toString());
        assertEquals(2, run.exit, run.toString());
        assertTrue(run.err.contains("switchboard.management.tls.certificate must name a PEM file"), run.toString());

        Path withBootstrap = TestFiles.write(work.resolve("bootstrap.conf"), List.of(
                "switchboard.management.tls.enabled = on", "switchboard.cluster.bootstrap.enabled = on"));
        Run bootstrap = Run.main(work, "--check-config", "--config", withBootstrap.toString());
        assertEquals(2, bootstrap.exit, bootstrap.toString());
        assertTrue(bootstrap.err.contains("cannot be combined with switchboard.cluster.bootstrap.enabled"), bootstrap.toString());
    }

    @Test
    void aSyntaxErrorOnASecretsLineDoesNotShowTheSecret() {
        Path work = TestFiles.workDir("check-syntax");
        Path config = TestFiles.write(work.resolve("node.conf"), List.of(
                "switchboard.sip.port = 5070",
                "switchboard.journal.password = \"hunter2-journal"));
        Run run = Run.main(work, "--check-config", "--config", config.toString());
        assertEquals(2, run.exit, run.toString());
        assertTrue(run.err.contains(config + ": 2: "), run.toString());
        assertFalse(run.err.contains("hunter2") || run.out.contains("hunter2"), run.toString());
    }

    @Test
    void aNodeWithAMisspelledKeyDoesNotStart() {
        Path work = TestFiles.workDir("check-node");
        Path config = TestFiles.write(work.resolve("node.conf"), List.of("switchboard.registrar.max-binding = 3"));
        try (NodeProcess node = NodeProcess.start(work.resolve("node.log"), "--config", config.toString(),
                "--sip", "127.0.0.1:" + FreePorts.udpAndTcp(), "--data", work.resolve("data").toString())) {
            assertEquals(2, node.awaitExit(EXIT));
            assertTrue(node.output().contains("switchboard: " + config + ": 1: unknown key switchboard.registrar.max-binding"
                    + " (did you mean switchboard.registrar.max-bindings?)"), node.tail());
            assertFalse(node.output().contains("Switchboard ready"), node.tail());
        }
    }

    @Test
    void aNodeStartedWithACheckedFileSaysItsVersionWhenReady() {
        Path work = TestFiles.workDir("check-ready");
        Path config = TestFiles.write(work.resolve("node.conf"), List.of("switchboard.domains = [example.com]"));
        String[] flags = {"--config", config.toString(), "--sip", "127.0.0.1:" + FreePorts.udpAndTcp(),
                "--data", work.resolve("data").toString()};
        String[] check = new String[flags.length + 1];
        check[0] = "--check-config";
        System.arraycopy(flags, 0, check, 1, flags.length);
        assertEquals(0, Run.main(work, check).exit);
        try (NodeProcess node = NodeProcess.start(work.resolve("node.log"), flags)) {
            node.awaitReady(Duration.ofSeconds(90));
            assertTrue(node.output().contains("version=0.1.0-SNAPSHOT commit=" + gitCommit()), node.tail());
            int exit = node.stop(EXIT);
            assertTrue(exit == 0 || exit == 143, "node stops cleanly on SIGTERM, exit " + exit + node.tail());
        }
    }

    @Test
    void versionSaysTheCommitItWasBuiltFrom() {
        Path work = TestFiles.workDir("check-version");
        Run run = Run.main(work, "--version");
        assertEquals(0, run.exit, run.toString());
        String expectedCommit = gitCommit();
        assertTrue(run.out.strip().matches("switchboard 0\\.1\\.0-SNAPSHOT \\(" + expectedCommit + "(, dirty)?\\)"),
                "expected commit " + expectedCommit + ": " + run);
    }

    @Test
    void helpListsEveryFlag() {
        Run run = Run.main(TestFiles.workDir("check-help"), "--help");
        assertEquals(0, run.exit, run.toString());
        for (String flag : List.of("--config", "--sip", "--data", "--subscribers", "--check-config", "--version", "--help")) {
            assertTrue(run.out.contains(flag), flag + " missing: " + run);
        }
    }

    /** HEAD of the repository the tests run in, as the build's version.sh reads it; "unknown" outside git. */
    private static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short=10", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor() == 0 && out.matches("[0-9a-f]{10}") ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** One run of Main to its end, its stdout and stderr kept apart. */
    private record Run(int exit, String out, String err) {
        static Run main(Path work, String... args) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), "org.switchboard.node.Main"));
            command.addAll(List.of(args));
            Path out = work.resolve("stdout");
            Path err = work.resolve("stderr");
            try {
                Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("switchboard " + String.join(" ", args) + " did not exit within "
                            + EXIT.toSeconds() + " s");
                }
                return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }
}
