package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.testkit.HepDecoder;

/**
 * SIP capture as Homer gets it: a node in its own JVM sends HEP v3 to a UDP socket of the test's while SIPp
 * registers and places calls through it. Every message SIPp exchanged with the node, either way, is in the capture
 * byte for byte with the right addresses, ports, protocol, time, agent id, node name and Call-ID; at sample 0
 * nothing arrives; a collector that is no address stops the node.
 */
class HepCaptureTest {
    private static final Duration SIPP = Duration.ofSeconds(60);
    private static final Pattern CALL_ID = Pattern.compile("(?im)^(?:call-id|i)[ \\t]*:[ \\t]*(\\S+)[ \\t]*\\r?$");
    private static final HepCollector collector = HepCollector.open();

    @RegisterExtension
    static final SingleNode node = SingleNode.of("hep", List.of("hepbob@sip.test,pw"), List.of(
            "switchboard.proxy.authenticate-callers = off",
            "switchboard.capture.hep.enabled = on",
            "switchboard.capture.hep.collector = \"" + collector.address() + "\"",
            "switchboard.capture.hep.agent-id = 4242"));

    @AfterAll
    static void closeCollector() {
        collector.close();
    }

    @Test
    void everyMessageSippExchangedWithTheNodeIsCapturedAsItWasOnTheWireBothWays() {
        long before = micros(Instant.now());
        int bobPort = FreePorts.udpAndTcp();
        int callerPort = FreePorts.udpAndTcp();
        Path csv = TestFiles.registerCsv(node.work(), "reg-hepbob.csv", List.<String[]>of(new String[] {"hepbob", "pw"}));
        Sipp.Result reg = Sipp.run(node.work(), "hep-register", node.address(), Sipp.scenario("reg_auth.xml"), bobPort,
                SIPP, "-inf", csv.toString(), "-m", "1", "-trace_msg");
        assertEquals(1, reg.successful(), reg.diagnosis());
        try (Sipp callee = Sipp.start(node.work(), "hep-callee", null, Sipp.scenario("uas_call.xml"), bobPort,
                "-m", "2", "-trace_msg")) {
            Sipp.Result caller = Sipp.run(node.work(), "hep-caller", node.address(), Sipp.scenario("uac_call.xml"),
                    callerPort, SIPP, "-inf", TestFiles.calleeCsv(node.work(), "hepbob").toString(), "-m", "2",
                    "-r", "2", "-trace_msg");
            assertEquals(2, caller.successful(), caller.diagnosis() + node.process().tail());
            assertEquals(2, callee.await(SIPP).successful());
        }

        List<Expected> expected = new ArrayList<>();
        expected.addAll(expected("hep-register", bobPort));
        expected.addAll(expected("hep-callee", bobPort));
        expected.addAll(expected("hep-caller", callerPort));
        // REGISTER, 401, REGISTER, 200; each call: INVITE, 100, 180, 200, ACK, BYE, 200 on both legs
        assertTrue(expected.size() >= 4 + 2 * 2 * 6, "SIPp's own logs: " + expected.size() + " messages");

        Await.until("every message SIPp exchanged with the node in the capture", Duration.ofSeconds(15),
                () -> missing(expected).isEmpty(),
                () -> "missing " + missing(expected).size() + " of " + expected.size() + ", e.g.\n"
                        + missing(expected).stream().findFirst().map(e -> e.direction() + "\n" + e.text()).orElse("")
                        + "\ncaptured " + collector.packets().size() + " packets\n" + node.process().tail());
        long after = micros(Instant.now());
        Await.until("the capture's counters on /metrics", Duration.ofSeconds(15),
                () -> captureCount("sent") >= expected.size(), () -> "sent " + captureCount("sent"));
        assertEquals(0, captureCount("dropped"), "nothing dropped at this rate");
        assertEquals(0, captureCount("send_failed"));

        InetSocketAddress nodeAddress = address(node.address());
        for (Expected e : expected) {
            HepDecoder.Packet p = decodedPackets().stream()
                    .filter(c -> new String(c.payload(), StandardCharsets.ISO_8859_1).equals(e.text())
                            && c.source().equals(e.sentBySipp() ? e.sipp() : nodeAddress)
                            && c.destination().equals(e.sentBySipp() ? nodeAddress : e.sipp()))
                    .findFirst().orElseThrow();
            assertEquals(2, p.family(), "IPv4");
            assertEquals(17, p.ipProtocol(), "UDP");
            assertEquals(1, p.protocolType(), "SIP");
            assertEquals(4242L, p.captureAgentId());
            assertEquals(Optional.of(node.address()), p.nodeName(), "the default node name: the SIP address");
            assertEquals(Optional.of(callId(e.text())), p.correlationId(), e.text());
            assertTrue(p.epochMicros() >= before && p.epochMicros() <= after,
                    "captured at " + p.epochMicros() + ", the test ran from " + before + " to " + after);
        }
    }

    /** {@code switchboard_capture_hep_total{outcome}} from the node's /metrics (no token needed). */
    private static long captureCount(String outcome) {
        try {
            String base = java.nio.file.Files.readString(node.work().resolve("data/management-url")).strip();
            String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(base + "/metrics")).timeout(Duration.ofSeconds(30)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            String prefix = "switchboard_capture_hep_total{outcome=\"" + outcome + "\"";
            return body.lines().filter(l -> l.startsWith(prefix)).mapToLong(l -> (long) Double.parseDouble(
                    l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                    .orElseThrow(() -> new AssertionError(prefix + " not exported:\n" + body));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void overTcpBothWaysAreCapturedWithProtocolSixAndTheConnectionsAddresses() {
        long before = micros(Instant.now());
        Path csv = TestFiles.registerCsv(node.work(), "reg-tcp.csv", List.<String[]>of(new String[] {"hepbob", "pw"}));
        Sipp.Result reg = Sipp.run(node.work(), "hep-register-tcp", node.address(), Sipp.scenario("reg_auth.xml"),
                FreePorts.udpAndTcp(), SIPP, "-t", "t1", "-max_socket", "10", "-inf", csv.toString(), "-m", "1",
                "-trace_msg");
        assertEquals(1, reg.successful(), reg.diagnosis());
        List<SippMessages.Message> exchanged = SippMessages.of(node.work().resolve("hep-register-tcp"));
        assertEquals(4, exchanged.size(), "REGISTER, 401, REGISTER, 200 in SIPp's log");
        InetSocketAddress nodeAddress = address(node.address());
        Map<SippMessages.Message, HepDecoder.Packet> found = new HashMap<>();
        Await.until("the REGISTERs over TCP and their answers in the capture", Duration.ofSeconds(15), () -> {
            for (SippMessages.Message m : exchanged) {
                decodedPackets().stream().filter(p -> Arrays.equals(p.payload(), m.bytes())
                        && (m.sentBySipp() ? p.destination() : p.source()).equals(nodeAddress))
                        .findFirst().ifPresent(p -> found.put(m, p));
            }
            return found.size() == exchanged.size();
        }, () -> "found " + found.size() + " of " + exchanged.size() + node.process().tail());
        long after = micros(Instant.now());
        // one connection: SIPp's end of it is the same address for all four
        assertEquals(1, found.entrySet().stream().map(e -> e.getKey().sentBySipp() ? e.getValue().source()
                : e.getValue().destination()).distinct().count(), found.toString());
        for (HepDecoder.Packet p : found.values()) {
            assertEquals(6, p.ipProtocol(), "TCP");
            assertEquals("127.0.0.1", (p.source().equals(nodeAddress) ? p.destination() : p.source()).getHostString());
            assertTrue(p.correlationId().isPresent());
            assertTrue(p.epochMicros() >= before && p.epochMicros() <= after);
        }
    }

    @Test
    void atSampleZeroNothingIsSent() {
        try (HepCollector quiet = HepCollector.open()) {
            TestNode sampled = TestNode.start("hep-sample-0", List.of("hepzero@sip.test,pw"), List.of(
                    "switchboard.capture.hep.enabled = on",
                    "switchboard.capture.hep.collector = \"" + quiet.address() + "\"",
                    "switchboard.capture.hep.sample = 0"));
            try (NodeProcess process = sampled.process()) {
                assertTrue(process.output().contains("SIP capture on: HEP v3 over UDP to /" + quiet.address()
                        + ", capture agent id 2001, sample 0.0"), process.tail());
                Path csv = TestFiles.registerCsv(sampled.work(), "reg.csv", List.<String[]>of(new String[] {"hepzero", "pw"}));
                Sipp.Result reg = Sipp.run(sampled.work(), "register", sampled.address(), Sipp.scenario("reg_auth.xml"),
                        FreePorts.udpAndTcp(), SIPP, "-inf", csv.toString(), "-m", "1");
                assertEquals(1, reg.successful(), reg.diagnosis());
                // at sample 1 the packets of these four messages arrive within milliseconds (the test above)
                assertEquals(Optional.empty(), quiet.next(0, Duration.ofSeconds(3)).map(HepDecoder::decode)
                        .map(HepDecoder.Packet::describe));
            }
        }
    }

    @Test
    void aCollectorThatIsNoHostAndPortStopsTheNodeWithItsKey() {
        Path work = TestFiles.workDir("hep-bad-collector");
        Path config = TestFiles.write(work.resolve("node.conf"), List.of(
                "switchboard.capture.hep.enabled = on", "switchboard.capture.hep.collector = homer"));
        try (NodeProcess bad = NodeProcess.start(work.resolve("node.log"), "--config", config.toString(),
                "--sip", "127.0.0.1:" + FreePorts.udpAndTcp(), "--data", work.resolve("data").toString())) {
            assertEquals(2, bad.awaitExit(Duration.ofSeconds(60)), bad.tail());
            assertTrue(bad.output().contains("switchboard: switchboard.capture.hep.collector \"homer\": host:port is "
                    + "needed"), bad.tail());
            assertTrue(!bad.output().contains("Switchboard ready"), bad.tail());
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A message SIPp logged, and the SIPp address at its end of the exchange. */
    private record Expected(boolean sentBySipp, String text, InetSocketAddress sipp) {
        String direction() {
            return sentBySipp ? "SIPp " + sipp + " -> node" : "node -> SIPp " + sipp;
        }
    }

    private static List<Expected> expected(String sippDir, int port) {
        return SippMessages.of(node.work().resolve(sippDir)).stream()
                .map(m -> new Expected(m.sentBySipp(), new String(m.bytes(), StandardCharsets.ISO_8859_1),
                        new InetSocketAddress("127.0.0.1", port)))
                .toList();
    }

    /** The expected messages not captured: each captured packet stands for one message (a retransmission twice). */
    private static List<Expected> missing(List<Expected> expected) {
        InetSocketAddress nodeAddress = address(node.address());
        Map<String, Integer> captured = new HashMap<>();
        for (HepDecoder.Packet p : decodedPackets()) {
            captured.merge(key(p.source(), p.destination(), new String(p.payload(), StandardCharsets.ISO_8859_1)), 1,
                    Integer::sum);
        }
        List<Expected> missing = new ArrayList<>();
        for (Expected e : expected) {
            String k = e.sentBySipp() ? key(e.sipp(), nodeAddress, e.text()) : key(nodeAddress, e.sipp(), e.text());
            if (captured.merge(k, -1, Integer::sum) < 0) {
                missing.add(e);
            }
        }
        return missing;
    }

    private static String key(InetSocketAddress from, InetSocketAddress to, String text) {
        return from + ">" + to + ">" + text;
    }

    private static List<HepDecoder.Packet> decodedPackets() {
        return collector.packets().stream().map(HepDecoder::decode).toList();
    }

    private static String callId(String message) {
        Matcher m = CALL_ID.matcher(message);
        if (!m.find()) {
            throw new AssertionError("no Call-ID in\n" + message);
        }
        return m.group(1);
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
}
