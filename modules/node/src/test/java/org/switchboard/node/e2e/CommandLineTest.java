package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What an operator sees when a flag or the environment is wrong: exit code 2 and one line saying what. */
class CommandLineTest {
    private static final Duration EXIT = Duration.ofSeconds(60);

    @Test
    void unknownFlagExitsWithTwoAndSaysWhich() {
        Path work = TestFiles.workDir("cli-unknown");
        try (NodeProcess node = NodeProcess.start(work.resolve("node.log"), "--frobnicate", "yes")) {
            assertEquals(2, node.awaitExit(EXIT));
            assertTrue(node.output().contains("unknown flag --frobnicate"), node.tail());
        }
    }

    @Test
    void unreadableSubscribersFileExitsWithTwo() {
        Path work = TestFiles.workDir("cli-subscribers");
        try (NodeProcess node = NodeProcess.start(work.resolve("node.log"), "--sip", "127.0.0.1:" + FreePorts.udpAndTcp(),
                "--data", work.resolve("data").toString(), "--subscribers", "/nonexistent/subscribers.csv")) {
            assertEquals(2, node.awaitExit(EXIT));
            assertTrue(node.output().contains("cannot read subscribers file /nonexistent/subscribers.csv"), node.tail());
        }
    }

    @Test
    void sipPortInUseExitsWithTwo() throws IOException {
        Path work = TestFiles.workDir("cli-port");
        int port = FreePorts.udpAndTcp();
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", port));
             NodeProcess node = NodeProcess.start(work.resolve("node.log"), "--sip", "127.0.0.1:" + port,
                     "--data", work.resolve("data").toString())) {
            assertEquals(2, node.awaitExit(EXIT));
            assertTrue(node.output().contains("127.0.0.1:" + port + " is not available"), node.tail());
        }
    }

    @Test
    void aSecurityLimitThatAdmitsNothingExitsWithTwoAndNamesTheKey() {
        Path work = TestFiles.workDir("cli-security");
        Path config = TestFiles.write(work.resolve("node.conf"), List.of("switchboard.security.rate-limit.burst = 0"));
        try (NodeProcess node = NodeProcess.start(work.resolve("node.log"), "--sip", "127.0.0.1:" + FreePorts.udpAndTcp(),
                "--data", work.resolve("data").toString(), "--config", config.toString())) {
            assertEquals(2, node.awaitExit(EXIT));
            assertTrue(node.output().contains("switchboard.security: rate-limit needs requests-per-second > 0, burst >= 1"),
                    node.tail());
        }
    }

    @Test
    void badSipAddressExitsWithTwo() {
        Path work = TestFiles.workDir("cli-sip");
        try (NodeProcess node = NodeProcess.start(work.resolve("node.log"), "--sip", "localhost")) {
            assertEquals(2, node.awaitExit(EXIT));
            assertTrue(node.output().contains("--sip wants HOST:PORT"), node.tail());
        }
    }
}
