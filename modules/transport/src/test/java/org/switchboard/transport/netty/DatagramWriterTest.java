package org.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.hep.SipCapture;

/**
 * Datagrams written from the senders' own threads, on real loopback sockets: many threads at once on one socket,
 * every datagram whole and from the socket's address; what is SIP is captured, STUN and keep-alives are not; a
 * failed send reaches the caller's failure handler and never throws at it.
 */
class DatagramWriterTest {
    private static final String SIP = "SIP/2.0 200 OK\r\nCall-ID: c1\r\nContent-Length: 0\r\n\r\n";

    private record Seen(String message, SipTransport transport, InetSocketAddress source, InetSocketAddress destination) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final SipCapture capture = (message, transport, source, destination) ->
            seen.add(new Seen(new String(message, StandardCharsets.US_ASCII), transport, source, destination));
    private final EdgeCounters counters = new EdgeCounters();

    private static DatagramChannel socket() throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.configureBlocking(false); // as Netty leaves the listening socket
        ch.bind(new InetSocketAddress("127.0.0.1", 0));
        return ch;
    }

    @Test
    void fourThreadsWritingAtOnceEachDatagramArrivesWholeFromTheListeningSocket() throws Exception {
        int threads = 4;
        int each = 200;
        try (DatagramChannel ch = socket(); DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setReceiveBufferSize(4 * 1024 * 1024);
            peer.setSoTimeout(5_000);
            InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
            DatagramWriter writer = new DatagramWriter(ch, local, counters, Optional.empty());
            InetSocketAddress to = (InetSocketAddress) peer.getLocalSocketAddress();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> senders = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread sender = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        writer.send(("MESSAGE sip:x SIP/2.0\r\nCall-ID: " + id + "-" + i + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII), to, e -> { throw new AssertionError(e); });
                    }
                });
                sender.start();
                senders.add(sender);
            }
            start.countDown();
            Set<String> received = new HashSet<>();
            byte[] buffer = new byte[2048];
            while (received.size() + counters.writesDropped.intValue() < threads * each) {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                peer.receive(p);
                assertEquals(local, p.getSocketAddress(), "from the listening socket");
                String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                assertTrue(text.startsWith("MESSAGE sip:x SIP/2.0\r\nCall-ID: ") && text.endsWith("\r\n\r\n"), text);
                assertTrue(received.add(text), "twice: " + text);
            }
            for (Thread sender : senders) {
                sender.join(5_000);
            }
            assertEquals(threads * each, received.size(), "none dropped on loopback with room in the buffers");
            assertEquals(0, counters.sendFailures.intValue());
        }
    }

    @Test
    void aSipMessageIsCapturedFromTheSocketToItsRecipientAStunAnswerAndAKeepAliveAreNot() throws Exception {
        try (DatagramChannel ch = socket(); DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            peer.setSoTimeout(5_000);
            InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
            DatagramWriter writer = new DatagramWriter(ch, local, counters, Optional.of(capture));
            InetSocketAddress to = (InetSocketAddress) peer.getLocalSocketAddress();
            byte[] stun = {0x01, 0x01, 0x00, 0x00, 0x21, 0x12, (byte) 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
            for (byte[] b : List.of(stun, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), SIP.getBytes(StandardCharsets.US_ASCII))) {
                writer.send(b, to);
            }
            for (int i = 0; i < 3; i++) {
                peer.receive(new DatagramPacket(new byte[2048], 2048)); // all three left
            }
            assertEquals(List.of(new Seen(SIP, SipTransport.UDP, local, to)), seen);
        }
    }

    @Test
    void aSendThatCannotBeMadeIsReportedToTheCallerNotThrown() throws Exception {
        DatagramChannel ch = socket();
        InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
        DatagramWriter writer = new DatagramWriter(ch, local, counters, Optional.empty());
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        writer.send(SIP.getBytes(StandardCharsets.US_ASCII), InetSocketAddress.createUnresolved("nowhere.invalid", 5060),
                failures::add);
        ch.close(); // the node stopping: its listeners closed while an entity still sends
        writer.send(SIP.getBytes(StandardCharsets.US_ASCII), new InetSocketAddress("127.0.0.1", 9), failures::add);
        writer.send(SIP.getBytes(StandardCharsets.US_ASCII), new InetSocketAddress("127.0.0.1", 9));
        assertEquals(2, failures.size(), failures.toString());
        assertEquals(1, counters.sendFailures.intValue(), "the send without a handler is counted");
        assertTrue(seen.isEmpty());
    }
}
