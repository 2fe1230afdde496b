package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TCP listener on the internet meets connections that never say anything, that drip a message a byte at a time,
 * and many connections from one address. Each test plays from its own loopback address, so the connections of
 * one test never count against the caps of another.
 */
class TcpLimitsTest {
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Duration MESSAGE = Duration.ofSeconds(1);
    private static final int PER_ADDRESS = 3;
    private static final Duration WRITE_STALL = Duration.ofSeconds(2);
    @RegisterExtension
    static final SingleNode node = SingleNode.of("tcp-limits", List.of("alice@sip.test,pw"), List.of(
            "switchboard.security.tcp.idle-timeout = " + IDLE.toSeconds() + "s",
            "switchboard.security.tcp.message-timeout = " + MESSAGE.toMillis() + "ms",
            "switchboard.security.tcp.max-connections-per-address = " + PER_ADDRESS,
            "switchboard.security.tcp.write-stall-timeout = " + WRITE_STALL.toSeconds() + "s"));

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeoutWhileOneSendingKeepAlivesStaysOpen() throws IOException {
        try (Socket silent = connect("127.0.0.4"); Socket pinging = connect("127.0.0.4")) {
            long start = System.nanoTime();
            long closedAfter = -1;
            silent.setSoTimeout(1000);
            pinging.setSoTimeout(3000);
            while (System.nanoTime() - start < 2 * IDLE.toNanos()) {
                pinging.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals('\r', pinging.getInputStream().read(), "pong, " + seconds(start) + " s in\n" + node.process().tail());
                assertEquals('\n', pinging.getInputStream().read());
                if (closedAfter < 0 && closedWithin(silent)) { // the read's timeout paces the pings (one a second)
                    closedAfter = System.nanoTime() - start;
                }
            }
            assertTrue(closedAfter > 0, "the silent connection is still open after " + seconds(start) + " s");
            assertTrue(closedAfter >= IDLE.minusMillis(500).toNanos() && closedAfter <= IDLE.plusSeconds(3).toNanos(),
                    "closed after " + closedAfter / 1e9 + " s, idle timeout " + IDLE.toSeconds() + " s");
        }
    }

    @Test
    void aConnectionDrippingAMessageAByteAtATimeIsClosedAfterTheMessageTimeout() throws IOException {
        try (Socket drip = connect("127.0.0.5")) {
            byte[] message = options(drip).getBytes(StandardCharsets.US_ASCII);
            drip.setSoTimeout(500);
            long start = System.nanoTime();
            long closedAfter = -1;
            for (int i = 0; i < message.length && closedAfter < 0; i++) {
                try {
                    drip.getOutputStream().write(message[i]);
                } catch (IOException reset) {
                    closedAfter = System.nanoTime() - start;
                    break;
                }
                if (closedWithin(drip)) { // the read's timeout paces the drip: a byte every 500 ms
                    closedAfter = System.nanoTime() - start;
                }
            }
            assertTrue(closedAfter > 0, "the node read the whole message one byte at a time\n" + node.process().tail());
            assertTrue(closedAfter < IDLE.toNanos(), "closed after " + closedAfter / 1e9 + " s: by the idle timeout, "
                    + "not by the message timeout of " + MESSAGE.toMillis() + " ms");
            Await.until("the node to log the slow drip", Duration.ofSeconds(5),
                    () -> node.process().output().contains("a message unfinished for more than " + MESSAGE.toMillis() + " ms"),
                    node.process()::tail);
        }
    }

    @Test
    void oneAddressGetsNoMoreThanItsConnectionsWhileAnotherStillConnects() throws IOException {
        List<Socket> first = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                Socket s = connect("127.0.0.2");
                first.add(s);
                assertEquals("SIP/2.0 200", statusOf(s), "connection " + (i + 1));
            }
            try (Socket over = connect("127.0.0.2")) {
                over.getOutputStream().write(options(over).getBytes(StandardCharsets.US_ASCII));
                over.setSoTimeout(3000);
                assertEquals(-1, readOrTimeout(over), "connection " + (PER_ADDRESS + 1) + " from one address is "
                        + "closed unanswered, well before the idle timeout");
            }
            try (Socket other = connect("127.0.0.3")) {
                assertEquals("SIP/2.0 200", statusOf(other), "another address");
            }
            first.remove(0).close();
            Await.until("a connection closed to free its slot", Duration.ofSeconds(10), () -> {
                try (Socket again = connect("127.0.0.2")) {
                    return statusOf(again).equals("SIP/2.0 200");
                } catch (IOException | AssertionError refused) {
                    return false;
                }
            }, node.process()::tail);
        } finally {
            for (Socket s : first) {
                s.close();
            }
        }
    }

    /**
     * A peer that sends requests and never reads the answers: the node must not queue them without end. From the
     * trusted 127.0.0.1 (no rate limit), so that it can ask faster than a loopback socket's buffers take answers.
     */
    @Test
    void aPeerThatNeverReadsItsAnswersIsCutOffInsteadOfBufferedWithoutEnd() throws IOException {
        try (Socket deaf = new Socket()) {
            deaf.setReceiveBufferSize(4096);
            deaf.bind(new InetSocketAddress("127.0.0.1", 0));
            deaf.connect(new InetSocketAddress("127.0.0.1", node.port()), 3000);
            byte[] request = options(deaf).getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            boolean reset = false;
            // ~250 bytes asked, ~400 answered: 50,000 requests outgrow what the kernel buffers on loopback
            for (int i = 0; i < 50_000 && !reset; i++) {
                try {
                    deaf.getOutputStream().write(request);
                } catch (IOException closedByTheNode) {
                    reset = true;
                }
                if (i % 1000 == 0 && node.process().output().contains("it has not read what was sent")) {
                    break;
                }
            }
            Await.until("the node to close the connection that does not read", Duration.ofSeconds(30),
                    () -> node.process().output().contains("it has not read what was sent for " + WRITE_STALL.toMillis() + " ms"),
                    node.process()::tail);
            deaf.setSoTimeout(5000);
            long drained = 0;
            try {
                byte[] buf = new byte[65536];
                for (int n = deaf.getInputStream().read(buf); n >= 0; n = deaf.getInputStream().read(buf)) {
                    drained += n;
                }
            } catch (IOException resetByTheNode) {
                // closed with unread requests: a reset instead of an end of stream
            }
            assertTrue(drained < 16L * 1024 * 1024, "the node had buffered " + drained + " bytes of answers");
            assertTrue(System.nanoTime() - start > WRITE_STALL.toNanos(), "closed before the write-stall timeout");
        }
    }

    private static Socket connect(String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", node.port()), 3000);
        return s;
    }

    private static String options(Socket s) {
        String local = s.getLocalAddress().getHostAddress() + ":" + s.getLocalPort();
        return "OPTIONS sip:127.0.0.1:" + node.port() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP " + local + ";branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", "") + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@sip.test>;tag=probe\r\n"
                + "To: <sip:127.0.0.1:" + node.port() + ">\r\n"
                + "Call-ID: " + UUID.randomUUID() + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** Sends an OPTIONS and returns the status line's first two words, or "closed". */
    private static String statusOf(Socket s) throws IOException {
        s.getOutputStream().write(options(s).getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(5000);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        while (!in.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
            int b = s.getInputStream().read();
            if (b < 0) {
                return "closed";
            }
            in.write(b);
        }
        String[] words = in.toString(StandardCharsets.US_ASCII).split(" ");
        return words[0] + " " + words[1];
    }

    /** True when the node closed the connection within the socket's read timeout. */
    private static boolean closedWithin(Socket s) {
        try {
            return readOrTimeout(s) == -1;
        } catch (IOException reset) {
            return true;
        }
    }

    private static int readOrTimeout(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketTimeoutException open) {
            return -2;
        }
    }

    private static String seconds(long since) {
        return String.format("%.1f", (System.nanoTime() - since) / 1e9);
    }
}
