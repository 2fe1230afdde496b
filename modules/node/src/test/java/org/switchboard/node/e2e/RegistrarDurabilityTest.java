package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipResponse;

/**
 * No live binding is lost when a node stops or crashes, including bindings whose refreshes were kept in memory
 * only (the refresh rule of the Registration entity), and bindings that expired while it was down are gone.
 */
class RegistrarDurabilityTest {
    private static final Duration READY = Duration.ofSeconds(90);

    @Test
    void bindingsSurviveACrashAndExpiredOnesAreGoneAfterRestart() {
        Path work = TestFiles.workDir("registrar-durability");
        int port = FreePorts.udpAndTcp();
        Path subscribers = TestFiles.subscribers(work, 0, "alice@sip.test,alicepw", "bob@sip.test,bobpw");
        Path config = TestFiles.write(work.resolve("node.conf"), List.of("switchboard.registrar.min-expires = 1s"));
        String[] args = {"--sip", "127.0.0.1:" + port, "--data", work.resolve("data").toString(),
                "--subscribers", subscribers.toString(), "--config", config.toString()};
        Instant bobExpires;
        try (UdpPhone alice = new UdpPhone(port); UdpPhone bob = new UdpPhone(port)) {
            try (NodeProcess first = NodeProcess.start(work.resolve("node-1.log"), args).awaitReady(READY)) {
                // alice registers, then refreshes often: after the first, her refreshes stay in memory only
                for (int i = 0; i < 5; i++) {
                    assertEquals(200, alice.registerWithAuth("alice", "alice", "alicepw",
                            RegistrarEndToEndTest.contact("alice", alice), Optional.of(3600)).status());
                }
                assertEquals(200, bob.registerWithAuth("bob", "bob", "bobpw",
                        RegistrarEndToEndTest.contact("bob", bob), Optional.of(2)).status());
                bobExpires = Instant.now().plusSeconds(2);
                first.kill(Duration.ofSeconds(30));
            }
            // bob's binding lapses while no node runs
            while (Instant.now().isBefore(bobExpires.plusMillis(500))) {
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
            try (NodeProcess second = NodeProcess.start(work.resolve("node-2.log"), args).awaitReady(READY)) {
                SipResponse aliceNow = alice.registerWithAuth("alice", "alice", "alicepw", Optional.empty(), Optional.empty());
                assertEquals(List.of("sip:alice@127.0.0.1:" + alice.port()),
                        aliceNow.contacts().stream().map(c -> c.uri().toString()).toList(), second.tail());
                SipResponse bobNow = bob.registerWithAuth("bob", "bob", "bobpw", Optional.empty(), Optional.empty());
                assertEquals(List.of(), bobNow.contacts(), "an expired binding is gone after the restart");
            }
        }
    }
}
