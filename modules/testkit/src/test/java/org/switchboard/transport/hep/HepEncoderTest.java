package org.switchboard.transport.hep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.testkit.HepDecoder;

/**
 * The HEP v3 encoder against the tests' own decoder (testkit's {@link HepDecoder}, written from the specification
 * and sharing nothing with the encoder), chunk by chunk: vendor, type, length, value, and nothing left over. Here
 * rather than in the transport module because the decoder is in testkit, which depends on transport.
 */
class HepEncoderTest {
    private static final byte[] INVITE = ("INVITE sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.7:5070;branch=z9hG4bK1\r\nCall-ID: a84b4c76e66710@pc33\r\n"
            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final long WHEN = 1_700_000_000_123_456L; // 2023-11-14T22:13:20.123456Z

    @Test
    void anIpv4UdpMessageHasEveryChunkInNetworkByteOrder() throws Exception {
        HepMessage m = new HepMessage(INVITE, HepMessage.IpProtocol.UDP, address("192.0.2.7", 5070),
                address("10.0.0.1", 5060), WHEN, Optional.of("a84b4c76e66710@pc33"));
        byte[] packet = new HepEncoder(2001, Optional.of("sb-1")).encode(m).orElseThrow();

        int expectedLength = 6 + 7 + 7 + 10 + 10 + 8 + 8 + 10 + 10 + 7 + 10 + (6 + 19) + (6 + 4) + (6 + INVITE.length);
        assertEquals(expectedLength, packet.length);
        assertArrayEquals("HEP3".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(packet, 4));
        assertEquals(expectedLength >> 8, packet[4] & 0xFF, "total length, high byte first");
        assertEquals(expectedLength & 0xFF, packet[5] & 0xFF);
        // the first chunk as bytes: vendor 0, type 1, length 7 (6 of header and 1 of value), family 2 (IPv4)
        assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 7, 2}, Arrays.copyOfRange(packet, 6, 13));

        HepDecoder.Packet p = HepDecoder.decode(packet);
        assertEquals(List.of(1, 2, 3, 4, 7, 8, 9, 10, 11, 12, 17, 19, 15),
                p.chunks().stream().map(HepDecoder.Chunk::type).toList(), p.describe());
        assertTrue(p.chunks().stream().allMatch(c -> c.vendor() == 0), "generic chunks only");
        assertTrue(p.chunks().stream().allMatch(c -> c.length() == 6 + c.value().length), "lengths count the header");
        assertEquals(2, p.family());
        assertEquals(17, p.ipProtocol());
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 7}, p.value(3));
        assertArrayEquals(new byte[] {10, 0, 0, 1}, p.value(4));
        assertEquals(address("192.0.2.7", 5070), p.source());
        assertEquals(address("10.0.0.1", 5060), p.destination());
        assertArrayEquals(new byte[] {0x13, (byte) 0xCE}, p.value(7), "5070 big-endian");
        assertEquals(1_700_000_000L, p.uint32(9));
        assertEquals(123_456L, p.uint32(10));
        assertEquals(WHEN, p.epochMicros());
        assertEquals(1, p.protocolType(), "SIP");
        assertEquals(2001L, p.captureAgentId());
        assertArrayEquals(new byte[] {0, 0, 0x07, (byte) 0xD1}, p.value(12), "2001 as a uint32, big-endian");
        assertEquals(Optional.of("a84b4c76e66710@pc33"), p.correlationId());
        assertEquals(Optional.of("sb-1"), p.nodeName());
        assertArrayEquals(INVITE, p.payload());
    }

    @Test
    void anIpv6TcpMessageHasSixteenByteAddressesAndProtocolSix() throws Exception {
        HepMessage m = new HepMessage(INVITE, HepMessage.IpProtocol.TCP, address("2001:db8::7", 40312),
                address("2001:db8::1", 5061), WHEN, Optional.of("x"));
        HepDecoder.Packet p = HepDecoder.decode(new HepEncoder(7, Optional.empty()).encode(m).orElseThrow());

        assertEquals(List.of(1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 17, 15),
                p.chunks().stream().map(HepDecoder.Chunk::type).toList(), p.describe());
        assertEquals(10, p.family());
        assertEquals(6, p.ipProtocol());
        assertEquals(16, p.value(5).length);
        assertArrayEquals(InetAddress.getByName("2001:db8::7").getAddress(), p.value(5));
        assertArrayEquals(InetAddress.getByName("2001:db8::1").getAddress(), p.value(6));
        assertEquals(40312, p.uint16(7));
        assertEquals(5061, p.uint16(8));
        assertFalse(p.has(3) || p.has(4), "no IPv4 chunks");
        assertFalse(p.nodeName().isPresent(), "no node name given, none written");
        assertArrayEquals(INVITE, p.payload());
    }

    @Test
    void anIpv4PeerOfAnIpv6SocketIsWrittenAsIpv4MappedIpv6() throws Exception {
        HepMessage m = new HepMessage(INVITE, HepMessage.IpProtocol.UDP, address("192.0.2.7", 5070),
                address("2001:db8::1", 5060), WHEN, Optional.empty());
        HepDecoder.Packet p = HepDecoder.decode(new HepEncoder(1, Optional.empty()).encode(m).orElseThrow());

        assertEquals(10, p.family());
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 192, 0, 2, 7},
                p.value(5));
        assertArrayEquals(InetAddress.getByName("2001:db8::1").getAddress(), p.value(6));
    }

    @Test
    void withoutACallIdThereIsNoCorrelationChunk() throws Exception {
        HepMessage m = new HepMessage("garbage".getBytes(StandardCharsets.US_ASCII), HepMessage.IpProtocol.UDP,
                address("192.0.2.7", 5070), address("10.0.0.1", 5060), WHEN, Optional.empty());
        HepDecoder.Packet p = HepDecoder.decode(new HepEncoder(1, Optional.of("")).encode(m).orElseThrow());

        assertFalse(p.has(17));
        assertFalse(p.has(19), "an empty node name is none");
        assertEquals("garbage", new String(p.payload(), StandardCharsets.US_ASCII));
    }

    @Test
    void theAgentIdIsAnUnsignedThirtyTwoBitNumber() throws Exception {
        HepMessage m = new HepMessage(INVITE, HepMessage.IpProtocol.UDP, address("192.0.2.7", 5070),
                address("10.0.0.1", 5060), WHEN, Optional.empty());
        HepDecoder.Packet p = HepDecoder.decode(new HepEncoder(4_294_967_295L, Optional.empty()).encode(m).orElseThrow());
        assertEquals(4_294_967_295L, p.captureAgentId());
        assertThrows(IllegalArgumentException.class, () -> new HepEncoder(4_294_967_296L, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new HepEncoder(-1, Optional.empty()));
    }

    @Test
    void aPacketIsAtMost65535BytesLong() throws Exception {
        int overhead = 6 + 7 + 7 + 10 + 10 + 8 + 8 + 10 + 10 + 7 + 10 + 6;
        HepEncoder encoder = new HepEncoder(1, Optional.empty());
        byte[] largest = new byte[65_535 - overhead];
        Arrays.fill(largest, (byte) 'x');
        byte[] packet = encoder.encode(new HepMessage(largest, HepMessage.IpProtocol.TCP, address("192.0.2.7", 5070),
                address("10.0.0.1", 5060), WHEN, Optional.empty())).orElseThrow();
        assertEquals(65_535, packet.length);
        assertEquals(65_535, HepDecoder.decode(packet).totalLength());

        byte[] tooLarge = new byte[largest.length + 1];
        assertTrue(encoder.encode(new HepMessage(tooLarge, HepMessage.IpProtocol.TCP, address("192.0.2.7", 5070),
                address("10.0.0.1", 5060), WHEN, Optional.empty())).isEmpty());
    }

    @Test
    void theDecoderRefusesWhatTheSpecificationDoesNotAllow() {
        byte[] good = new HepEncoder(1, Optional.empty()).encode(new HepMessage(INVITE, HepMessage.IpProtocol.UDP,
                address("192.0.2.7", 5070), address("10.0.0.1", 5060), WHEN, Optional.empty())).orElseThrow();
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        trailing[5]++; // total length agrees, the extra byte is no chunk
        assertThrows(IllegalArgumentException.class, () -> HepDecoder.decode(trailing));
        byte[] shortTotal = good.clone();
        shortTotal[5]--;
        assertThrows(IllegalArgumentException.class, () -> HepDecoder.decode(shortTotal));
        byte[] badChunk = good.clone();
        badChunk[11] = 8; // the family chunk claims a 2-byte value
        assertThrows(IllegalArgumentException.class, () -> HepDecoder.decode(badChunk));
    }

    private static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }
}
