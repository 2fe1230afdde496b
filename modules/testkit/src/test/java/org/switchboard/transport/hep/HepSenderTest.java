package org.switchboard.transport.hep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.testkit.HepDecoder;
import org.switchboard.transport.api.SipTransport;

/** The sender: what the network threads hand it arrives at the collector as HEP, sampled by call, dropped when full. */
class HepSenderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00.654321Z"), ZoneOffset.UTC);
    private static final InetSocketAddress PHONE = new InetSocketAddress("127.0.0.1", 5070);
    private static final InetSocketAddress NODE = new InetSocketAddress("127.0.0.1", 5060);

    @Test
    void aCapturedMessageReachesTheCollectorWithItsCallIdAndTheDefaultNodeName() throws Exception {
        try (DatagramSocket collector = collector();
             HepSender sender = HepSender.start(settings(collector, 1.0, 10), "127.0.0.1:5060", CLOCK)) {
            byte[] message = message("call-1@host");
            sender.capture(message, SipTransport.TCP, PHONE, NODE);

            HepDecoder.Packet p = HepDecoder.decode(receive(collector));
            assertArrayEquals(message, p.payload());
            assertEquals(6, p.ipProtocol(), "TCP");
            assertEquals(PHONE, p.source());
            assertEquals(NODE, p.destination());
            assertEquals(CLOCK.instant().getEpochSecond() * 1_000_000L + 654_321L, p.epochMicros());
            assertEquals(Optional.of("call-1@host"), p.correlationId(), "read by the sender thread");
            assertEquals(Optional.of("127.0.0.1:5060"), p.nodeName());
            assertEquals(42L, p.captureAgentId());
            assertEquals(1L, sender.counters().queued.sum());
        }
    }

    @Test
    void atAShareOfCallsEveryMessageOfASampledCallIsCapturedAndNoneOfTheOthers() throws Exception {
        Sampling half = new Sampling(0.5);
        String in = null;
        String out = null;
        for (int i = 0; in == null || out == null; i++) {
            String id = "call-" + i + "@host";
            if (half.sampled(Optional.of(id))) {
                in = in == null ? id : in;
            } else {
                out = out == null ? id : out;
            }
        }
        try (DatagramSocket collector = collector();
             HepSender sender = HepSender.start(settings(collector, 0.5, 10), "n", CLOCK)) {
            sender.capture(message(out), SipTransport.UDP, PHONE, NODE);
            sender.capture(message(in), SipTransport.UDP, PHONE, NODE);
            sender.capture(message(in), SipTransport.UDP, NODE, PHONE);

            HepDecoder.Packet first = HepDecoder.decode(receive(collector));
            HepDecoder.Packet second = HepDecoder.decode(receive(collector));
            assertEquals(Optional.of(in), first.correlationId());
            assertEquals(PHONE, first.source());
            assertEquals(Optional.of(in), second.correlationId());
            assertEquals(NODE, second.source(), "the answer too");
            assertEquals(2L, sender.counters().queued.sum(), "the other call was never queued");
        }
    }

    @Test
    void atSampleZeroNothingIsQueued() throws Exception {
        try (DatagramSocket collector = collector();
             HepSender sender = HepSender.start(settings(collector, 0.0, 10), "n", CLOCK)) {
            sender.capture(message("a@b"), SipTransport.UDP, PHONE, NODE);
            assertEquals(0L, sender.counters().queued.sum());
            collector.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> collector.receive(new DatagramPacket(new byte[100], 100)));
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaiting() throws Exception {
        try (DatagramSocket collector = collector();
             HepSender sender = HepSender.unstarted(settings(collector, 1.0, 2), "n", CLOCK)) {
            for (int i = 0; i < 5; i++) {
                sender.capture(message("c" + i), SipTransport.UDP, PHONE, NODE);
            }
            assertEquals(2L, sender.counters().queued.sum());
            assertEquals(3L, sender.counters().dropped.sum());
        }
    }

    @Test
    void aMessageTooLargeForADatagramIsCountedNotSent() throws Exception {
        try (DatagramSocket collector = collector();
             HepSender sender = HepSender.unstarted(settings(collector, 1.0, 2), "n", CLOCK)) {
            byte[] huge = new byte[65_500];
            Arrays.fill(huge, (byte) 'x');
            sender.send(new HepMessage(huge, HepMessage.IpProtocol.TCP, PHONE, NODE, 0, Optional.empty()));
            assertEquals(1L, sender.counters().tooLarge.sum());
            assertEquals(0L, sender.counters().sent.sum());
        }
    }

    private static HepSettings settings(DatagramSocket collector, double sample, int queue) {
        return new HepSettings((InetSocketAddress) collector.getLocalSocketAddress(), 42, Optional.empty(),
                new Sampling(sample), queue);
    }

    private static DatagramSocket collector() throws Exception {
        return new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    }

    private static byte[] receive(DatagramSocket collector) throws Exception {
        collector.setSoTimeout(5_000);
        DatagramPacket packet = new DatagramPacket(new byte[65_535], 65_535);
        collector.receive(packet);
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    private static byte[] message(String callId) {
        return ("OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\ncall-id:  " + callId
                + " \r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
