package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A TLS listener asked for with files it cannot use ends start-up: exit code 2 and one line naming the key. */
class TlsStartupTest {
    private static final Duration EXIT = Duration.ofSeconds(60);

    private static NodeProcess start(String name, List<String> config) {
        Path work = TestFiles.workDir(name);
        Path conf = TestFiles.write(work.resolve("node.conf"), config);
        return NodeProcess.start(work.resolve("node.log"), "--sip", "127.0.0.1:" + FreePorts.udpAndTcp(),
                "--data", work.resolve("data").toString(), "--config", conf.toString());
    }

    @Test
    void aTlsPortWithoutACertificateExitsWithTwo() {
        try (NodeProcess node = start("tls-no-cert", List.of("switchboard.sip.tls.port = " + FreePorts.udpAndTcp()))) {
            assertEquals(2, node.awaitExit(EXIT));
            assertTrue(node.output().contains("switchboard.sip.tls.certificate must name a PEM file"), node.tail());
        }
    }

    @Test
    void aCertificateFileThatIsNotACertificateExitsWithTwoAndNamesIt() {
        Path work = TestFiles.workDir("tls-bad-files");
        Path cert = TestFiles.write(work.resolve("bad.crt"), List.of("not a certificate"));
        Path key = TestFiles.write(work.resolve("bad.key"), List.of("not a key"));
        try (NodeProcess node = start("tls-bad-cert", List.of("switchboard.sip.tls { port = " + FreePorts.udpAndTcp()
                + ", certificate = \"" + cert + "\", private-key = \"" + key + "\" }"))) {
            assertEquals(2, node.awaitExit(EXIT));
            assertTrue(node.output().contains("switchboard.sip.tls: "), node.tail());
        }
    }

    @Test
    void anUnknownMediaEncryptionPolicyExitsWithTwo() {
        try (NodeProcess node = start("tls-bad-policy", List.of("switchboard.policy.media-encryption = always"))) {
            assertEquals(2, node.awaitExit(EXIT));
            assertTrue(node.output().contains("switchboard.policy.media-encryption must be off or require-with-tls"),
                    node.tail());
        }
    }
}
