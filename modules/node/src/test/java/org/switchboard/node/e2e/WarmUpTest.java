package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipResponse;

/**
 * A node with the warm-up on (as by default) makes its own calls before it says ready, through its own listener,
 * and leaves the edge as it found it. The node trusts no address here, so the warm-up's loopback phones get past
 * the per-source rate limit only by their own exemption, which must end with the warm-up. A graceful stop reads the
 * journal one last time for the CDRs, so the table holds every call that ended before it.
 */
class WarmUpTest {
    private static final int CALLS = 300;
    private static final int LANES = 4;

    @Test
    void theNodeCallsItselfBeforeReadyThenDeletesItsAccountsAndLimitsLoopbackAgain() throws Exception {
        Path work = TestFiles.workDir("warm-up");
        String address = "127.0.0.1:" + FreePorts.udpAndTcp();
        Path subscribers = TestFiles.write(work.resolve("subscribers.csv"), List.of("alice@" + TestFiles.DOMAIN + ",pw"));
        try (NodeProcess node = NodeProcess.start(work.resolve("node.log"), List.of(
                        "-D" + NodeProcess.TRUSTED_PEERS + ".0=192.0.2.1/32",
                        "-Dswitchboard.management.port=" + FreePorts.udpAndTcp(),
                        "-D" + NodeProcess.WARM_UP + "=on",
                        "-Dswitchboard.warm-up.calls=" + CALLS,
                        "-Dswitchboard.warm-up.lanes=" + LANES,
                        // no periodic read after the first: the CDRs checked below are there by the stop's last read
                        "-Dswitchboard.cdr.interval=1h"),
                "--sip", address, "--data", work.resolve("data").toString(),
                "--subscribers", subscribers.toString()).awaitReady(Duration.ofSeconds(120))) {
            String log = node.output();
            Matcher done = Pattern.compile("warm-up done: (\\d+) calls, (\\d+) REGISTERs, (\\d+) failed").matcher(log);
            assertTrue(done.find(), "a warm-up line\n" + node.tail());
            assertEquals(CALLS, Integer.parseInt(done.group(1)), done.group());
            assertTrue(Integer.parseInt(done.group(2)) >= LANES, done.group());
            assertEquals(0, Integer.parseInt(done.group(3)), done.group());
            assertTrue(log.indexOf("warm-up done") < log.indexOf("Switchboard ready"), "ready only after the warm-up");
            assertFalse(log.contains("rate limit: dropping messages from 127.0.0.1"),
                    "the warm-up's own sockets were spared the rate limit\n" + node.tail());

            int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
            try (UdpPhone alice = new UdpPhone(port)) {
                SipResponse challenge = alice.register("alice", Optional.empty(), Optional.of(600), Optional.empty());
                SipResponse ok = alice.register("alice", Optional.empty(), Optional.of(600),
                        Optional.of(alice.authorization(challenge, "alice", "pw")));
                assertEquals(200, ok.status(), "a phone registers once the node is ready");
            }

            burstOfOptions(address, 600);
            Await.until("the edge to limit a burst from another socket on 127.0.0.1", Duration.ofSeconds(10),
                    () -> node.output().contains("rate limit: dropping messages from 127.0.0.1"), node::tail);
            AdminHttp.Answer cdrs = AdminHttp.of(work.resolve("data"))
                    .get("/cdrs?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z");
            assertEquals(200, cdrs.status(), cdrs.body());
            assertEquals(1, cdrs.body().lines().count(), "the warm-up's calls are no one's CDRs: " + cdrs.body());
            node.stop(Duration.ofSeconds(30)); // the embedded journal can be read once the node is gone
            List<String> accounts = journal(work, "SELECT DISTINCT \"persistence_id\" FROM \"event_journal\""
                    + " WHERE \"persistence_id\" LIKE 'Registration|sip:warm-up-%'");
            assertEquals(LANES, accounts.size(), "one account per lane: " + accounts);
            for (String account : accounts) {
                List<String> events = journal(work, "SELECT \"event_ser_manifest\" FROM \"event_journal\""
                        + " WHERE \"persistence_id\" = '" + account + "' ORDER BY \"sequence_number\"");
                assertTrue(events.get(events.size() - 1).contains("AccountDeleted"), account + ": " + events);
            }
            List<String> callRows = journal(work, "SELECT \"persistence_id\" FROM \"event_journal\""
                    + " WHERE \"persistence_id\" LIKE 'Call|%'");
            assertEquals(2 * CALLS, callRows.size(), "every warm-up call answered and ended in the journal");
            // recorded all the same, so that their events leave the journal after keep-call-events like any call's
            assertEquals(CALLS, query(work, "journal-cdr", "SELECT \"call_id\" FROM \"cdr\" WHERE \"caller\" LIKE '%@warm-up.invalid'"
                    + " AND \"end_ms\" > 0").size());
        }
    }

    private static void burstOfOptions(String address, int count) throws IOException {
        String[] hp = address.split(":");
        InetSocketAddress node = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            for (int i = 0; i < count; i++) {
                byte[] bytes = ("OPTIONS sip:" + TestFiles.DOMAIN + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bKburst" + i + "\r\n"
                        + "Max-Forwards: 70\r\nFrom: <sip:burst@" + TestFiles.DOMAIN + ">;tag=b" + i + "\r\n"
                        + "To: <sip:" + TestFiles.DOMAIN + ">\r\nCall-ID: burst-" + i + "\r\nCSeq: 1 OPTIONS\r\n"
                        + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(bytes, bytes.length, node));
            }
        }
    }

    private static List<String> journal(Path work, String query) throws SQLException {
        return query(work, "journal", query);
    }

    /** The first column of {@code query}'s rows in the node's H2 database {@code name} (journal, journal-cdr). */
    private static List<String> query(Path work, String name, String query) throws SQLException {
        String url = "jdbc:h2:file:" + work.resolve("data").resolve(name);
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement st = c.prepareStatement(query);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
