package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Static routes to host names, resolved by RFC 3263 against a real DNS server (dnsmasq on 127.0.0.53), with
 * failover between the SRV targets (RFC 3263 §4.3). Gateways are SIPp callees on 127.0.0.4x; the caller is a
 * trusted PBX at 127.0.0.1.
 */
class DnsFailoverTest {
    private static final Duration SIPP = Duration.ofSeconds(60);
    private static final Pattern RECEIVED = Pattern.compile("message received \\[\\d+\\] bytes :\\s+(\\S+) ");
    private static final Pattern CALL_ID = Pattern.compile("(?im)^Call-ID:\\s*(\\S+)");
    private static final int GW1 = Dnsmasq.freeUdpPort("127.0.0.41");   // SRV 1st of trunk.test: 503
    private static final int GW2 = Dnsmasq.freeUdpPort("127.0.0.42");   // SRV 2nd of trunk.test: answers
    private static final int GW3 = Dnsmasq.freeUdpPort("127.0.0.43");   // NAPTR -> SRV (TCP) of trunk2.test
    private static final int GW5 = Dnsmasq.freeUdpPort("127.0.0.45");   // SRV 2nd of trunk3.test: answers
    private static final int GW6 = Dnsmasq.freeUdpPort("127.0.0.46");   // reached by IP address
    private static final int GW7 = Dnsmasq.freeUdpPort("127.0.0.47");   // SRV 1st of trunk4.test (TCP): refuses
    private static final int GW8 = Dnsmasq.freeUdpPort("127.0.0.48");   // SRV 2nd of trunk4.test (TCP): answers
    private static Path work;
    private static Dnsmasq dns;
    private static TestNode node;
    /** SRV 1st of trunk3.test, and what trunk2.test's UDP service points at: takes datagrams, never answers. */
    private static Recorder silent;
    /** Where dnsmasq forwards *.slow.test: a DNS server that never answers. */
    private static Recorder blackhole;

    @BeforeAll
    static void start() {
        silent = new Recorder("127.0.0.44");
        blackhole = new Recorder("127.0.0.54");
        work = TestFiles.workDir("dns-failover");
        dns = Dnsmasq.start(work, "127.0.0.53", List.of(
                "--srv-host=_sip._udp.trunk.test,gw1.trunk.test," + GW1 + ",10,0",
                "--srv-host=_sip._udp.trunk.test,gw2.trunk.test," + GW2 + ",20,0",
                "--host-record=gw1.trunk.test,127.0.0.41", "--host-record=gw2.trunk.test,127.0.0.42",
                // order beats preference: TCP (order 10) is chosen over UDP (order 20, better preference)
                "--naptr-record=trunk2.test,20,1,S,SIP+D2U,,_sip._udp.trunk2.test",
                "--naptr-record=trunk2.test,10,50,S,SIP+D2T,,_sip._tcp.trunk2.test",
                "--srv-host=_sip._udp.trunk2.test,gw4.trunk.test," + silent.port() + ",10,0",
                "--srv-host=_sip._tcp.trunk2.test,gw3.trunk.test," + GW3 + ",10,0",
                "--host-record=gw3.trunk.test,127.0.0.43",
                "--srv-host=_sip._udp.trunk3.test,gw4.trunk.test," + silent.port() + ",10,0",
                "--srv-host=_sip._udp.trunk3.test,gw5.trunk.test," + GW5 + ",20,0",
                "--host-record=gw4.trunk.test,127.0.0.44", "--host-record=gw5.trunk.test,127.0.0.45",
                "--srv-host=_sip._tcp.trunk4.test,gw7.trunk.test," + GW7 + ",10,0",
                "--srv-host=_sip._tcp.trunk4.test,gw8.trunk.test," + GW8 + ",20,0",
                "--host-record=gw7.trunk.test,127.0.0.47", "--host-record=gw8.trunk.test,127.0.0.48",
                "--server=/slow.test/127.0.0.54#" + blackhole.port()));
        node = TestNode.start("dns-node", List.of("alice@sip.test,pw"), List.of(
                "switchboard.proxy.trusted-peers = [\"127.0.0.1/32\"]",
                "switchboard.dns.servers = [\"" + dns.server() + "\"]",
                // a lookup the server never answers stays pending this long: longer than any call here takes
                "switchboard.dns.timeout = 10s",
                "switchboard.proxy.routes { \"pstn.test\" = \"sip:trunk.test\", \"tcp.test\" = \"sip:trunk2.test\","
                        + " \"dead.test\" = \"sip:trunk3.test\", \"slow.test\" = \"sip:gw.slow.test\","
                        + " \"refused.test\" = \"sip:trunk4.test;transport=tcp\","
                        + " \"ip.test\" = \"sip:127.0.0.46:" + GW6 + "\" }"));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.process().close();
        }
        if (dns != null) {
            dns.close();
        }
        silent.close();
        blackhole.close();
    }

    @Test
    void aGatewayAnswering503IsAckedAndTheCallCompletesOnTheNextSrvTarget() {
        try (Sipp unavailable = gateway("127.0.0.41", GW1, "uas_unavailable.xml", 1);
             Sipp answering = gateway("127.0.0.42", GW2, "uas_call.xml", 1)) {
            call("pstn.test", 1);
            assertEquals(1, answering.await(SIPP).successful(), answering.diagnosis());
            assertEquals(1, unavailable.await(SIPP).successful(), unavailable.diagnosis());
            assertEquals(Map.of("INVITE", 1, "ACK", 1), received("gw-127.0.0.41"),
                    "the 503 gateway gets the INVITE and the ACK of its 503, nothing else");
        }
    }

    @Test
    void naptrLeadsToTheTcpSrvOfTheGateway() {
        try (Sipp tcp = gateway("127.0.0.43", GW3, "uas_call.xml", 1, "-t", "t1")) {
            call("tcp.test", 1);
            assertEquals(1, tcp.await(SIPP).successful(), tcp.diagnosis());
            assertTrue(received("gw-127.0.0.43").get("INVITE") >= 1);
        }
        assertEquals(Set.of(), silent.callIds(), "the UDP service of the worse NAPTR order was used");
    }

    @Test
    void aSilentTargetIsLeftAfterTheFailoverTimeoutAndSkippedByTheNextCall() {
        try (Sipp answering = gateway("127.0.0.45", GW5, "uas_call.xml", 2)) {
            call("dead.test", 1);
            Set<String> first = silent.callIds();
            assertEquals(1, first.size(), "the first call tried the first SRV target: " + first);
            assertTrue(silent.count() >= 2, "retransmissions went to it until the failover timeout: " + silent.count());
            call("dead.test", 1);
            assertEquals(2, answering.await(SIPP).successful(), answering.diagnosis());
            assertEquals(first, silent.callIds(), "the second call skipped the dead target");
        }
    }

    @Test
    void aTransportWithoutPortAsksItsSrvAndARefusedConnectionMovesOnAtOnce() {
        try (Sipp tcp = gateway("127.0.0.48", GW8, "uas_call.xml", 1, "-t", "t1")) {
            long start = System.nanoTime();
            call("refused.test", 1); // nothing listens on gw7's TCP port: connection refused
            assertEquals(1, tcp.await(SIPP).successful(), tcp.diagnosis());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "no timeout waited for: " + took);
        }
    }

    @Test
    void aLookupThatNeverAnswersDelaysNoOtherCall() {
        try (Sipp stuck = caller("slow.test", 1, "uac-slow");
             Sipp reachable = gateway("127.0.0.46", GW6, "uas_call.xml", 1)) {
            Await.until("the node to ask DNS for the slow gateway", Duration.ofSeconds(20),
                    () -> blackhole.count() > 0, node.process()::tail);
            long asked = System.nanoTime();
            call("ip.test", 1);
            Duration took = Duration.ofNanos(System.nanoTime() - asked);
            assertEquals(1, reachable.await(SIPP).successful(), reachable.diagnosis());
            // the slow lookup waits 10 s (switchboard.dns.timeout) for an answer that never comes: a call that
            // completed sooner did not wait behind it
            assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "the call to an address took " + took);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Sipp gateway(String ip, int port, String scenario, int calls, String... extra) {
        Path s = scenario.equals("uas_call.xml") ? Sipp.scenario(scenario) : Sipp.testScenario(work, scenario, Map.of());
        List<String> args = new ArrayList<>(List.of("-m", Integer.toString(calls), "-trace_msg"));
        args.addAll(List.of(extra));
        return Sipp.startFrom(ip, work, "gw-" + ip, null, s, port, args.toArray(String[]::new));
    }

    /** alice, behind a trusted PBX (so not challenged), calls +15551234 at {@code domain}: the static route. */
    private static Sipp caller(String domain, int calls, String name) {
        Path csv = TestFiles.write(work.resolve(name + ".csv"), List.of("SEQUENTIAL", "+15551234;" + domain));
        return Sipp.start(work, name, node.address(),
                Sipp.testScenario(work, "uac_call_from.xml", Map.of("FROM", "alice@sip.test")),
                FreePorts.udpAndTcp(), "-inf", csv.toString(), "-m", Integer.toString(calls), "-trace_msg");
    }

    private static void call(String domain, int calls) {
        try (Sipp uac = caller(domain, calls, "uac-" + domain + "-" + System.nanoTime())) {
            Sipp.Result r = uac.await(SIPP);
            assertEquals(calls, r.successful(), "caller: " + r.diagnosis() + node.process().tail());
            assertEquals(0, r.failed(), r.diagnosis());
        }
    }

    /** The requests a SIPp gateway received, by method, from its -trace_msg log. */
    private static Map<String, Integer> received(String name) {
        Map<String, Integer> methods = new TreeMap<>();
        try (var files = Files.list(work.resolve(name))) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith("_messages.log")).toList()) {
                Matcher m = RECEIVED.matcher(Files.readString(f, StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    if (!m.group(1).equals("SIP/2.0")) {
                        methods.merge(m.group(1), 1, Integer::sum);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return methods;
    }

    /** A UDP socket that records every datagram and answers none. */
    private static final class Recorder implements AutoCloseable {
        private final DatagramSocket socket;
        private final List<String> datagrams = Collections.synchronizedList(new ArrayList<>());

        Recorder(String ip) {
            try {
                socket = new DatagramSocket(new InetSocketAddress(ip, 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread t = new Thread(() -> {
                byte[] buf = new byte[65535];
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                        datagrams.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1));
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "recorder-" + ip);
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int count() {
            return datagrams.size();
        }

        Set<String> callIds() {
            synchronized (datagrams) {
                return datagrams.stream().map(CALL_ID::matcher).filter(Matcher::find).map(m -> m.group(1))
                        .collect(Collectors.toSet());
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
