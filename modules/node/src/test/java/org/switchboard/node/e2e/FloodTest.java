package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * A flood from one address must not deny service to others: 20,000 requests from 127.0.0.2 while 40 phones on
 * 127.0.0.3 (SIPp, digest authentication, SIP's own retransmissions) register. With the default rate limit
 * (50/s, burst 200) the node answers the flooding address only about as often as the limit allows.
 */
class FloodTest {
    private static final int FLOOD = 20_000;
    private static final int USERS = 40;
    private static final int FLOOD_PER_SECOND = 4_000;

    @Test
    void aFloodFromOneAddressLeavesAuthenticatedRegistrationsFromAnotherAllSucceeding() {
        List<String> subscribers = IntStream.range(0, USERS)
                .mapToObj(i -> TestFiles.user(i) + "@" + TestFiles.DOMAIN + ",pw" + TestFiles.user(i)).toList();
        TestNode node = TestNode.start("flood", subscribers, List.of());
        try (Flooder flooder = new Flooder("127.0.0.2", node.address())) {
            Path users = TestFiles.registerCsv(node.work(), "users.csv", IntStream.range(0, USERS)
                    .mapToObj(i -> new String[] {TestFiles.user(i), "pw" + TestFiles.user(i)}).toList());
            Thread flood = new Thread(() -> flooder.send(FLOOD, FLOOD_PER_SECOND), "flood");
            flood.start();
            Sipp.Result reg;
            try (Sipp sipp = Sipp.startFrom("127.0.0.3", node.work(), "register", node.address(),
                    Sipp.scenario("reg_auth.xml"), FreePorts.udpAndTcp(), "-inf", users.toString(),
                    "-m", Integer.toString(USERS), "-r", "10")) {
                reg = sipp.await(Duration.ofSeconds(90));
            }
            Await.until("the flood to be sent", Duration.ofSeconds(60), () -> !flood.isAlive(), node.process()::tail);

            assertEquals(USERS, reg.successful(), reg.diagnosis() + node.process().tail());
            assertEquals(0, reg.failed(), reg.diagnosis());
            assertEquals(FLOOD, flooder.sent());
            long before = -1;
            while (before != flooder.answers()) { // until the last answers are in: none for half a second
                before = flooder.answers();
                LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
            }
            double seconds = flooder.floodNanos() / 1e9;
            long allowed = 200 + Math.round(50 * (seconds + 1));
            long answers = flooder.answers();
            assertTrue(answers >= 150, "the node answered the flooding address's first requests (its burst): " + answers);
            assertTrue(answers <= allowed + 50, answers + " answers to " + FLOOD + " requests sent in "
                    + seconds + " s: more than the rate limit allows (" + allowed + ")");
            assertTrue(node.process().output().contains("rate limit: dropping messages from 127.0.0.2 over 50/s (burst 200)"),
                    node.process().tail());
            assertTrue(!node.process().output().contains("rate limit: dropping messages from 127.0.0.3"),
                    "the phones' address was never limited\n" + node.process().tail());
        } finally {
            node.process().close();
        }
    }

    /** Sends OPTIONS and REGISTERs from its own address as fast as asked, and counts whatever comes back. */
    private static final class Flooder implements AutoCloseable {
        private final DatagramSocket socket;
        private final InetSocketAddress target;
        private final String local;
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong answers = new AtomicLong();
        private final AtomicLong floodNanos = new AtomicLong();
        private final Thread receiver;

        Flooder(String localHost, String target) {
            try {
                socket = new DatagramSocket(new InetSocketAddress(localHost, 0));
                socket.setReceiveBufferSize(4 * 1024 * 1024);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String[] hp = target.split(":");
            this.target = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
            this.local = localHost + ":" + socket.getLocalPort();
            receiver = new Thread(this::receive, "flood-answers");
            receiver.setDaemon(true);
            receiver.start();
        }

        void send(int count, int perSecond) {
            long start = System.nanoTime();
            try {
                for (int i = 0; i < count; i++) {
                    byte[] out = request(i).getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(out, out.length, target));
                    sent.incrementAndGet();
                    long due = start + (long) (i + 1) * 1_000_000_000L / perSecond;
                    long ahead = due - System.nanoTime();
                    if (ahead > 1_000_000) {
                        LockSupport.parkNanos(ahead); // pacing the load, not waiting for a condition
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                floodNanos.set(System.nanoTime() - start);
            }
        }

        private String request(int i) {
            String target = this.target.getHostString() + ":" + this.target.getPort();
            String method = i % 2 == 0 ? "OPTIONS" : "REGISTER";
            String uri = i % 2 == 0 ? "sip:" + target : "sip:" + TestFiles.DOMAIN;
            String user = "flood" + (i % 100);
            return method + " " + uri + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + local + ";branch=z9hG4bKflood" + i + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:" + user + "@" + TestFiles.DOMAIN + ">;tag=f" + i + "\r\n"
                    + "To: <sip:" + user + "@" + TestFiles.DOMAIN + ">\r\n"
                    + "Call-ID: flood-" + i + "\r\n"
                    + "CSeq: 1 " + method + "\r\n"
                    + (i % 2 == 0 ? "" : "Contact: <sip:" + user + "@" + local + ">\r\n")
                    + "Content-Length: 0\r\n\r\n";
        }

        private void receive() {
            byte[] buf = new byte[65535];
            while (!socket.isClosed()) {
                try {
                    socket.receive(new DatagramPacket(buf, buf.length));
                    answers.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        long sent() {
            return sent.get();
        }

        long answers() {
            return answers.get();
        }

        long floodNanos() {
            return floodNanos.get();
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
