package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipResponse;

/**
 * PostgreSQL stops under a running cluster: a REGISTER whose binding cannot be stored gets 503 with Retry-After
 * while the phone still waits, never a 200; once the journal is back the same REGISTER succeeds and nothing
 * acknowledged before the outage is gone.
 */
class JournalOutageTest {
    private static final Duration READY = Duration.ofSeconds(120);

    @Test
    void aRegisterDuringAJournalOutageGets503AndSucceedsOnceItIsBack() {
        Path work = TestFiles.workDir("journal-outage");
        try (TestCluster cluster = TestCluster.withPostgres(work, 1)) {
            cluster.add("core-1", "core", List.of()).process.awaitReady(READY);
            Path subscribers = TestFiles.subscribers(work, 0, "alice@sip.test,alicepw");
            TestCluster.Member transport = cluster.add("transport-1", "transport", List.of(), "--subscribers", subscribers.toString());
            transport.process.awaitReady(READY);
            int port = Integer.parseInt(transport.sip.split(":")[1]);
            try (UdpPhone phone = new UdpPhone(port).timeout(Duration.ofSeconds(20))) {
                String desk = "<sip:alice@127.0.0.1:" + phone.port() + ";line=desk>";
                String mobile = "<sip:alice@127.0.0.1:" + phone.port() + ";line=mobile>";
                assertEquals(200, phone.registerWithAuth("alice", "alice", "alicepw", Optional.of(desk), Optional.of(600)).status());

                cluster.stopPostgres();
                long sent = System.nanoTime();
                SipResponse refused = phone.registerWithAuth("alice", "alice", "alicepw", Optional.of(mobile), Optional.of(600));
                long waitedMillis = (System.nanoTime() - sent) / 1_000_000;
                assertEquals(503, refused.status(), "a binding that cannot be stored is refused: " + refused + cluster.tails());
                assertTrue(refused.header("retry-after").isPresent(), "503 says when to retry");
                assertTrue(waitedMillis < 16_000, "answered while the phone still waits (" + waitedMillis + " ms)");

                cluster.startPostgresAgain();
                Await.until("the REGISTER to succeed once the journal is back", Duration.ofSeconds(60),
                        () -> phone.registerWithAuth("alice", "alice", "alicepw", Optional.of(mobile), Optional.of(600)).status() == 200,
                        cluster::tails);
                SipResponse bindings = phone.registerWithAuth("alice", "alice", "alicepw", Optional.empty(), Optional.empty());
                assertEquals(2, bindings.contacts().size(), "the desk phone from before the outage and the mobile after: " + bindings);
            }
        }
    }
}
