package org.switchboard.transport.netty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import java.util.function.Consumer;

import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.hep.SipCapture;

/**
 * Writes datagrams on the UDP listening socket from the calling thread (so replies come from the port peers know).
 *
 * <p>Netty would make every write a task for its event loop: a wake-up of that thread and a second thread's time for
 * each message sent, which profiles of the call path showed as a larger cost than the write itself. The JDK's
 * {@link DatagramChannel#send} is safe from any thread — writers are serialised among themselves and kept apart from
 * the reader, Netty's event loop, which keeps receiving on the same socket. The socket is non-blocking: a send the
 * kernel's buffer cannot take is dropped and counted, as SIP survives a lost datagram and a node out of memory does
 * not.
 */
final class DatagramWriter {
    private final DatagramChannel socket;
    private final InetSocketAddress local;
    private final EdgeCounters counters;
    private final Optional<SipCapture> capture;

    DatagramWriter(DatagramChannel socket, InetSocketAddress local, EdgeCounters counters, Optional<SipCapture> capture) {
        this.socket = socket;
        this.local = local;
        this.counters = counters;
        this.capture = capture;
    }

    /**
     * Writes one datagram; {@code onFailure} hears why one could not be (closed socket, unreachable address) and
     * counts it.
     */
    void send(byte[] bytes, InetSocketAddress to, Consumer<Throwable> onFailure) {
        if (capture.isPresent() && startsLikeSip(bytes)) {
            capture.get().capture(bytes, SipTransport.UDP, local, to);
        }
        try {
            if (socket.send(ByteBuffer.wrap(bytes), to) == 0) {
                counters.writesDropped.increment();
            }
        } catch (IOException | RuntimeException e) { // RuntimeException: an unresolved address, a closed socket
            onFailure.accept(e);
        }
    }

    /** A failure only counted (STUN answers, the edge's stateless answers). */
    void send(byte[] bytes, InetSocketAddress to) {
        send(bytes, to, e -> counters.sendFailures.increment());
    }

    /** A request's method or "SIP/2.0": a letter. A STUN message starts with two zero bits, a pong with CR. */
    private static boolean startsLikeSip(byte[] bytes) {
        if (bytes.length == 0) {
            return false;
        }
        int first = bytes[0] | 0x20;
        return first >= 'a' && first <= 'z';
    }
}
