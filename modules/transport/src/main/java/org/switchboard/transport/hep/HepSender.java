package org.switchboard.transport.hep;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.transport.api.SipTransport;

/**
 * SIP capture to a HEP collector over UDP. The network threads only stamp the time and offer the message to a
 * bounded queue ({@link #capture}); one thread of its own takes them off, encodes them and sends them, blocking
 * on nothing the SIP path waits for. A full queue (a collector slower than the traffic) drops the message and
 * counts it: capture never slows SIP down nor grows without bound. UDP, like every HEP agent's default: a collector
 * that is down costs nothing but the packets.
 */
public final class HepSender implements SipCapture, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HepSender.class);
    /** The largest UDP payload over IPv4 (65,535 less the IP and UDP headers). */
    static final int MAX_DATAGRAM = 65_507;
    /** Drops are logged at most this often, with their count since the last line. */
    private static final Duration DROP_LOG_INTERVAL = Duration.ofMinutes(1);
    private static final int BATCH = 256;

    private final HepSettings settings;
    private final HepEncoder encoder;
    private final Sampling sampling;
    private final Clock clock;
    private final BlockingQueue<HepMessage> queue;
    private final CaptureCounters counters = new CaptureCounters();
    private final DatagramChannel channel;
    private final Thread thread;
    private volatile boolean closing;

    private HepSender(HepSettings settings, String defaultNodeName, Clock clock, DatagramChannel channel) {
        this.settings = settings;
        this.encoder = new HepEncoder(settings.agentId(), settings.nodeName().or(() -> Optional.of(defaultNodeName)));
        this.sampling = settings.sampling();
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(settings.queue());
        this.channel = channel;
        this.thread = new Thread(this::run, "sip-capture-hep");
        this.thread.setDaemon(true);
    }

    /**
     * Opens the sending socket and starts the sender thread.
     *
     * @param defaultNodeName the node name written when {@code settings} names none (the node's SIP address)
     */
    public static HepSender start(HepSettings settings, String defaultNodeName, Clock clock) throws IOException {
        HepSender sender = unstarted(settings, defaultNodeName, clock);
        sender.thread.start();
        log.info("SIP capture on: HEP v3 over UDP to {}, capture agent id {}, sample {}, queue {}",
                settings.collector(), settings.agentId(), settings.sampling().rate(), settings.queue());
        return sender;
    }

    /** With no sender thread yet: tests fill its queue. */
    static HepSender unstarted(HepSettings settings, String defaultNodeName, Clock clock) throws IOException {
        DatagramChannel channel = DatagramChannel.open(); // blocking: only the sender thread waits on it
        return new HepSender(settings, defaultNodeName, clock, channel);
    }

    @Override
    public void capture(byte[] message, SipTransport transport, InetSocketAddress source, InetSocketAddress destination) {
        // on a network thread: a Call-ID scan when only some calls are captured, the clock, one offer
        Optional<String> callId = Optional.empty();
        if (!sampling.all()) {
            callId = CallIds.of(message);
            if (!sampling.sampled(callId)) {
                return;
            }
        }
        Instant now = clock.instant();
        long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        HepMessage m = new HepMessage(message, transport == SipTransport.UDP ? HepMessage.IpProtocol.UDP
                : HepMessage.IpProtocol.TCP, source, destination, micros, callId);
        if (queue.offer(m)) {
            counters.queued.increment();
        } else {
            counters.dropped.increment();
        }
    }

    public CaptureCounters counters() {
        return counters;
    }

    private void run() {
        List<HepMessage> batch = new ArrayList<>(BATCH);
        long droppedLogged = 0;
        long lastDropLog = 0;
        try {
            while (!closing) {
                HepMessage first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    batch.forEach(this::send);
                    batch.clear();
                }
                long dropped = counters.dropped.sum();
                long nowNanos = System.nanoTime();
                if (dropped > droppedLogged && (lastDropLog == 0 || nowNanos - lastDropLog >= DROP_LOG_INTERVAL.toNanos())) {
                    log.warn("SIP capture: {} messages dropped (queue of {} full: the collector {} or this sender is "
                            + "slower than the traffic), {} in all", dropped - droppedLogged, settings.queue(),
                            settings.collector(), dropped);
                    droppedLogged = dropped;
                    lastDropLog = nowNanos;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        } catch (ClosedByShutdown e) {
            log.debug("SIP capture: the socket was closed");
        }
    }

    /** Encodes and sends one message; the Call-ID is read here when sampling did not read it already. */
    void send(HepMessage m) {
        HepMessage complete = m.callId().isPresent() ? m : new HepMessage(m.payload(), m.protocol(), m.source(),
                m.destination(), m.epochMicros(), CallIds.of(m.payload()));
        Optional<byte[]> packet = encoder.encode(complete).filter(p -> p.length <= MAX_DATAGRAM);
        if (packet.isEmpty()) {
            counters.tooLarge.increment();
            return;
        }
        try {
            channel.send(ByteBuffer.wrap(packet.get()), settings.collector());
            counters.sent.increment();
        } catch (ClosedChannelException e) {
            throw new ClosedByShutdown(e);
        } catch (IOException e) {
            counters.sendFailures.increment(); // e.g. no route: the next packet may pass
            log.debug("SIP capture: cannot send to {}: {}", settings.collector(), e.toString());
        }
    }

    /** Stops the sender thread (what is queued is not sent) and closes the socket. */
    @Override
    public void close() {
        closing = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("SIP capture: closing the socket: {}", e.toString());
        }
    }

    /** The socket was closed under the sender: the node is stopping. */
    static final class ClosedByShutdown extends RuntimeException {
        ClosedByShutdown(ClosedChannelException cause) {
            super(cause);
        }
    }
}
