package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A HEP collector for tests: a UDP socket on 127.0.0.1 that keeps every datagram it receives, as received. */
final class HepCollector implements AutoCloseable {
    private final DatagramSocket socket;
    private final List<byte[]> packets = new CopyOnWriteArrayList<>();

    private HepCollector(DatagramSocket socket) {
        this.socket = socket;
        Thread reader = new Thread(this::read, "hep-collector-" + socket.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    static HepCollector open() {
        try {
            return new HepCollector(new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:port}, as switchboard.capture.hep.collector takes it. */
    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** Every packet so far, in arrival order. */
    List<byte[]> packets() {
        return List.copyOf(packets);
    }

    /** The first packet to arrive within {@code timeout} after the ones already kept; empty if none does. */
    Optional<byte[]> next(int alreadyKept, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (packets.size() <= alreadyKept) {
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return Optional.of(packets.get(alreadyKept));
    }

    private void read() {
        byte[] buf = new byte[65_535];
        try {
            socket.setSoTimeout(500);
        } catch (IOException e) {
            return;
        }
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                packets.add(Arrays.copyOf(p.getData(), p.getLength()));
            } catch (SocketTimeoutException idle) {
                // look at isClosed again
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
