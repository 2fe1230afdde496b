package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * No built-in cluster secret: a node that runs alone makes its own and keeps it, a node of a cluster without one
 * (or with one too short to resist guessing) refuses to start with exit code 2 and one line naming the key.
 */
class ClusterSecretTest {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration EXIT = Duration.ofSeconds(60);

    @Test
    void aLoneNodeGeneratesItsSecretAtFirstStartAndKeepsIt() throws IOException {
        Path work = TestFiles.workDir("secret-alone");
        Path data = work.resolve("data");
        Path file = data.resolve("cluster-secret");
        String sip = "127.0.0.1:" + FreePorts.udpAndTcp();
        String first;
        try (NodeProcess node = NodeProcess.start(work.resolve("first.log"), "--sip", sip, "--data", data.toString())) {
            node.awaitReady(READY);
            assertTrue(Files.exists(file), "the secret is kept in the data directory");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            first = Files.readString(file, StandardCharsets.US_ASCII).strip();
            assertTrue(Base64.getDecoder().decode(first).length >= 32, "at least 32 random bytes");
            assertFalse(node.output().contains(first), "the secret is never logged");
            assertStopsCleanly(node);
        }
        try (NodeProcess node = NodeProcess.start(work.resolve("second.log"), "--sip", sip, "--data", data.toString())) {
            node.awaitReady(READY);
            assertEquals(first, Files.readString(file, StandardCharsets.US_ASCII).strip(), "the same secret after a restart");
            assertFalse(node.output().contains("generated a cluster secret"), node.tail());
            assertStopsCleanly(node);
        }
        try (var files = Files.list(data)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void aNodeWithSeedNodesAndNoSecretExitsWithTwo() {
        Path work = TestFiles.workDir("secret-cluster");
        Path conf = TestFiles.write(work.resolve("node.conf"), List.of(
                "switchboard.cluster.seed-nodes = [\"akka://switchboard@127.0.0.1:" + FreePorts.udpAndTcp() + "\"]"));
        try (NodeProcess node = NodeProcess.start(work.resolve("node.log"), "--sip", "127.0.0.1:" + FreePorts.udpAndTcp(),
                "--data", work.resolve("data").toString(), "--config", conf.toString())) {
            assertEquals(2, node.awaitExit(EXIT));
            assertOneLineNaming(node, "switchboard.cluster-secret must be set");
            assertFalse(Files.exists(work.resolve("data").resolve("cluster-secret")), "no secret of its own");
        }
    }

    @Test
    void aShortSecretIsRefused() {
        assertRefused("tooshort", "switchboard.cluster-secret is shorter than 16 characters");
    }

    /** Whoever copied the old default or an example value has a secret the whole internet knows. */
    @Test
    void aPublishedExampleSecretIsRefused() {
        assertRefused("switchboard-default-secret-change-me", "switchboard.cluster-secret is a published example value");
    }

    private static void assertRefused(String secret, String line) {
        Path work = TestFiles.workDir("secret-refused");
        Path conf = TestFiles.write(work.resolve("node.conf"), List.of("switchboard.cluster-secret = \"" + secret + "\""));
        try (NodeProcess node = NodeProcess.start(work.resolve("node.log"), "--sip", "127.0.0.1:" + FreePorts.udpAndTcp(),
                "--data", work.resolve("data").toString(), "--config", conf.toString())) {
            assertEquals(2, node.awaitExit(EXIT));
            assertOneLineNaming(node, line);
        }
    }

    private static void assertStopsCleanly(NodeProcess node) {
        int exit = node.stop(EXIT);
        assertTrue(exit == 0 || exit == 143, "node stops cleanly on SIGTERM, exit " + exit + node.tail());
    }

    /** The whole output is the one line that Main prints for a start-up fault. */
    static void assertOneLineNaming(NodeProcess node, String text) {
        List<String> lines = node.output().strip().lines().toList();
        assertEquals(1, lines.size(), node.tail());
        assertTrue(lines.get(0).startsWith("switchboard: ") && lines.get(0).contains(text), node.tail());
    }
}
