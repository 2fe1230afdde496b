package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipResponse;

/**
 * An overloaded core node sheds new work that reaches it from another node's edge: the transport node keeps up
 * (its own gauge admits everything), the core node counts itself overloaded (its dispatcher-lag limit is below any
 * real lag), and a REGISTER and an initial INVITE sent to the transport node get the core's 503 with Retry-After.
 */
class ClusterOverloadSheddingTest {
    private static final Duration READY = Duration.ofSeconds(120);

    @Test
    void aCoreNodeShedsNewWorkThatCameThroughAnotherNodesEdge() throws IOException {
        Path work = TestFiles.workDir("cluster-overload");
        try (TestCluster cluster = TestCluster.withPostgres(work, 1)) {
            cluster.startCores(1, List.of("switchboard.security.overload { enabled = on, max-dispatcher-lag = 1ns,"
                    + " sustained = 0s, retry-after = 9s }"), READY);
            Path subscribers = TestFiles.subscribers(work, 0, "alice@sip.test,pw", "bob@sip.test,pw");
            TestCluster.Member transport = cluster.add("transport-1", "transport", List.of(),
                    "--subscribers", subscribers.toString());
            transport.process.awaitReady(READY);

            try (DatagramSocket phone = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
                phone.setSoTimeout(10_000);
                String via = "Via: SIP/2.0/UDP 127.0.0.2:" + phone.getLocalPort() + ";branch=z9hG4bK";
                SipResponse register = exchange(phone, transport.sip, "REGISTER sip:sip.test SIP/2.0\r\n" + via + "reg1\r\n"
                        + "Max-Forwards: 70\r\nFrom: <sip:alice@sip.test>;tag=r1\r\nTo: <sip:alice@sip.test>\r\n"
                        + "Call-ID: " + UUID.randomUUID() + "\r\nCSeq: 1 REGISTER\r\n"
                        + "Contact: <sip:alice@127.0.0.2:" + phone.getLocalPort() + ">\r\nContent-Length: 0\r\n\r\n");
                assertEquals(503, register.status(), register + cluster.tails());
                assertEquals("9", register.header("retry-after").orElseThrow(), "the core node's Retry-After");

                SipResponse invite = exchange(phone, transport.sip, "INVITE sip:bob@sip.test SIP/2.0\r\n" + via + "inv1\r\n"
                        + "Max-Forwards: 70\r\nFrom: <sip:carol@elsewhere.net>;tag=c1\r\nTo: <sip:bob@sip.test>\r\n"
                        + "Call-ID: " + UUID.randomUUID() + "\r\nCSeq: 1 INVITE\r\n"
                        + "Contact: <sip:carol@127.0.0.2:" + phone.getLocalPort() + ">\r\nContent-Length: 0\r\n\r\n");
                assertEquals(503, invite.status(), invite + cluster.tails());
                assertEquals("9", invite.header("retry-after").orElseThrow());
            }
        }
    }

    /** The first response other than 100 Trying. */
    private static SipResponse exchange(DatagramSocket socket, String node, String request) throws IOException {
        String[] hostPort = node.split(":");
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]))));
        SipResponse answer;
        do {
            byte[] buf = new byte[65535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            answer = (SipResponse) ((ParseResult.Parsed) SipParser.parse(Arrays.copyOf(p.getData(), p.getLength()))).message();
        } while (answer.status() == 100);
        return answer;
    }
}
