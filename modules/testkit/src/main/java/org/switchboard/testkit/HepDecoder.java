package org.switchboard.testkit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A HEP v3 decoder for tests, written from the specification ("HEP3 Network Protocol Specification", sipcapture/HEP)
 * and independent of the node's encoder: it shares no code or constant with it, so a mistake in one is not made in
 * the other. Strict where the specification is: "HEP3", a total length equal to the packet's, each chunk's length
 * counting its 6-byte header and within the packet, no byte left over, and each generic chunk of the types SIP
 * capture writes exactly as long as its type says. A packet that breaks a rule is an {@link IllegalArgumentException}
 * naming the offset.
 */
public final class HepDecoder {
    /** One chunk as found: vendor id, type id, its declared length (header included) and value. */
    public record Chunk(int vendor, int type, int length, byte[] value) {
    }

    /** A decoded packet: its chunks in order, and the generic ones by type (each at most once). */
    public record Packet(int totalLength, List<Chunk> chunks, Map<Integer, byte[]> generic) {

        public byte[] value(int type) {
            byte[] v = generic.get(type);
            if (v == null) {
                throw new AssertionError("no chunk of type " + type + " in " + describe());
            }
            return v;
        }

        public boolean has(int type) {
            return generic.containsKey(type);
        }

        public int uint8(int type) {
            return value(type)[0] & 0xFF;
        }

        public int uint16(int type) {
            byte[] v = value(type);
            return (v[0] & 0xFF) << 8 | (v[1] & 0xFF);
        }

        public long uint32(int type) {
            byte[] v = value(type);
            return ((long) (v[0] & 0xFF) << 24) | (v[1] & 0xFF) << 16 | (v[2] & 0xFF) << 8 | (v[3] & 0xFF);
        }

        public String string(int type) {
            return new String(value(type), StandardCharsets.UTF_8);
        }

        public Optional<String> optionalString(int type) {
            return has(type) ? Optional.of(string(type)) : Optional.empty();
        }

        /** 1: IP family, 2 for IPv4, 10 for IPv6. */
        public int family() {
            return uint8(1);
        }

        /** 2: the IP protocol, 6 TCP or 17 UDP. */
        public int ipProtocol() {
            return uint8(2);
        }

        /** 3 or 5 and 7: the source, by the family. */
        public InetSocketAddress source() {
            return new InetSocketAddress(address(family() == 2 ? 3 : 5), uint16(7));
        }

        /** 4 or 6 and 8: the destination, by the family. */
        public InetSocketAddress destination() {
            return new InetSocketAddress(address(family() == 2 ? 4 : 6), uint16(8));
        }

        /** 9 and 10: seconds and microseconds since the epoch. */
        public long epochMicros() {
            return uint32(9) * 1_000_000L + uint32(10);
        }

        /** 11: 1 for SIP. */
        public int protocolType() {
            return uint8(11);
        }

        /** 12. */
        public long captureAgentId() {
            return uint32(12);
        }

        /** 15: the captured message. */
        public byte[] payload() {
            return value(15);
        }

        /** 17: the correlation id (the Call-ID for SIP). */
        public Optional<String> correlationId() {
            return optionalString(17);
        }

        /** 19. */
        public Optional<String> nodeName() {
            return optionalString(19);
        }

        private InetAddress address(int type) {
            try {
                return InetAddress.getByAddress(value(type));
            } catch (UnknownHostException e) {
                throw new AssertionError("chunk " + type + " is no address", e);
            }
        }

        public String describe() {
            StringBuilder sb = new StringBuilder("HEP3 packet of ").append(totalLength).append(" bytes:");
            for (Chunk c : chunks) {
                sb.append(" [").append(c.vendor()).append('/').append(c.type()).append(' ').append(c.length()).append(']');
            }
            return sb.toString();
        }
    }

    /** Value lengths of the generic chunk types of fixed size. */
    private static final Map<Integer, Integer> FIXED = Map.ofEntries(
            Map.entry(1, 1), Map.entry(2, 1), Map.entry(3, 4), Map.entry(4, 4), Map.entry(5, 16), Map.entry(6, 16),
            Map.entry(7, 2), Map.entry(8, 2), Map.entry(9, 4), Map.entry(10, 4), Map.entry(11, 1), Map.entry(12, 4));

    private HepDecoder() {
    }

    public static Packet decode(byte[] packet) {
        if (packet.length < 6 || packet[0] != 'H' || packet[1] != 'E' || packet[2] != 'P' || packet[3] != '3') {
            throw new IllegalArgumentException("no \"HEP3\" at offset 0: " + Arrays.toString(Arrays.copyOf(packet,
                    Math.min(packet.length, 6))));
        }
        int total = u16(packet, 4);
        if (total != packet.length) {
            throw new IllegalArgumentException("total length says " + total + " bytes, the packet has " + packet.length);
        }
        List<Chunk> chunks = new ArrayList<>();
        Map<Integer, byte[]> generic = new TreeMap<>();
        int at = 6;
        while (at < packet.length) {
            if (packet.length - at < 6) {
                throw new IllegalArgumentException(packet.length - at + " bytes left at offset " + at
                        + ": too few for a chunk header");
            }
            int vendor = u16(packet, at);
            int type = u16(packet, at + 2);
            int length = u16(packet, at + 4);
            if (length < 6 || at + length > packet.length) {
                throw new IllegalArgumentException("chunk " + vendor + "/" + type + " at offset " + at + " says "
                        + length + " bytes: below its header or past the packet's end (" + packet.length + ")");
            }
            byte[] value = Arrays.copyOfRange(packet, at + 6, at + length);
            chunks.add(new Chunk(vendor, type, length, value));
            if (vendor == 0) {
                Integer fixed = FIXED.get(type);
                if (fixed != null && fixed != value.length) {
                    throw new IllegalArgumentException("chunk type " + type + " at offset " + at + " holds "
                            + value.length + " bytes, not " + fixed);
                }
                if (generic.put(type, value) != null) {
                    throw new IllegalArgumentException("chunk type " + type + " twice, again at offset " + at);
                }
            }
            at += length;
        }
        return new Packet(total, List.copyOf(chunks), generic);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }
}
