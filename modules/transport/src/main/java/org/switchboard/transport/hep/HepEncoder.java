package org.switchboard.transport.hep;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * HEP version 3 (the HOMER Encapsulation Protocol, "HEP3 Network Protocol Specification", sipcapture/HEP), pure:
 * bytes in, bytes out.
 *
 * <pre>
 * packet = "HEP3" total-length chunk*          total-length: uint16, the whole packet, "HEP3" included
 * chunk  = vendor-id type-id chunk-length value  each uint16; chunk-length counts its own 6-byte header too
 * </pre>
 * All integers are in network byte order (big-endian). Only generic chunks (vendor 0) are written, those below.
 */
public final class HepEncoder {
    static final byte[] MAGIC = {'H', 'E', 'P', '3'};
    /** The largest packet the 16-bit total length can describe. */
    static final int MAX_PACKET = 0xFFFF;
    static final int HEADER = 6;
    static final int CHUNK_HEADER = 6;

    // generic chunk types (vendor 0x0000) of the specification, with the value each holds
    static final int IP_FAMILY = 0x0001;          // uint8: 2 = IPv4, 10 = IPv6 (AF_INET, AF_INET6 of Linux)
    static final int IP_PROTOCOL = 0x0002;        // uint8: IANA protocol number, 6 = TCP, 17 = UDP
    static final int IPV4_SOURCE = 0x0003;        // 4 bytes
    static final int IPV4_DESTINATION = 0x0004;   // 4 bytes
    static final int IPV6_SOURCE = 0x0005;        // 16 bytes
    static final int IPV6_DESTINATION = 0x0006;   // 16 bytes
    static final int SOURCE_PORT = 0x0007;        // uint16
    static final int DESTINATION_PORT = 0x0008;   // uint16
    static final int TIME_SECONDS = 0x0009;       // uint32, seconds since the epoch
    static final int TIME_MICROS = 0x000a;        // uint32, microseconds added to the seconds
    static final int PROTOCOL_TYPE = 0x000b;      // uint8: 1 = SIP
    static final int CAPTURE_AGENT_ID = 0x000c;   // uint32
    static final int PAYLOAD = 0x000f;            // the captured message
    static final int CORRELATION_ID = 0x0011;     // string: the Call-ID for SIP
    static final int NODE_NAME = 0x0013;          // string

    static final int FAMILY_IPV4 = 2;
    static final int FAMILY_IPV6 = 10;
    static final int PROTOCOL_SIP = 1;

    private final int agentId;
    private final Optional<byte[]> nodeName;

    /**
     * @param agentId  the capture agent id, 0 to 4294967295 (uint32): Homer's "capture id" of this node
     * @param nodeName written as the node name chunk when present and not empty
     */
    public HepEncoder(long agentId, Optional<String> nodeName) {
        if (agentId < 0 || agentId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("a HEP capture agent id is 0 to 4294967295, not " + agentId);
        }
        this.agentId = (int) agentId;
        this.nodeName = nodeName.filter(n -> !n.isEmpty()).map(n -> n.getBytes(StandardCharsets.UTF_8));
    }

    /** The HEP packet of {@code m}; empty when it would be longer than a HEP packet can be (64 KiB). */
    public Optional<byte[]> encode(HepMessage m) {
        byte[] source = address(m.source().getAddress(), m.destination().getAddress());
        byte[] destination = address(m.destination().getAddress(), m.source().getAddress());
        boolean v4 = source.length == 4;
        Optional<byte[]> callId = m.callId().filter(c -> !c.isEmpty()).map(c -> c.getBytes(StandardCharsets.UTF_8));
        long length = HEADER
                + 3L * (CHUNK_HEADER + 1)                    // family, protocol, protocol type
                + 2L * (CHUNK_HEADER + source.length)        // addresses
                + 2L * (CHUNK_HEADER + 2)                    // ports
                + 3L * (CHUNK_HEADER + 4)                    // seconds, microseconds, agent id
                + callId.map(c -> CHUNK_HEADER + c.length).orElse(0)
                + nodeName.map(n -> CHUNK_HEADER + n.length).orElse(0)
                + CHUNK_HEADER + m.payload().length;
        if (length > MAX_PACKET) {
            return Optional.empty();
        }
        ByteBuffer out = ByteBuffer.allocate((int) length); // big-endian, as HEP wants
        out.put(MAGIC).putShort((short) length);
        uint8(out, IP_FAMILY, v4 ? FAMILY_IPV4 : FAMILY_IPV6);
        uint8(out, IP_PROTOCOL, m.protocol().number);
        bytes(out, v4 ? IPV4_SOURCE : IPV6_SOURCE, source);
        bytes(out, v4 ? IPV4_DESTINATION : IPV6_DESTINATION, destination);
        uint16(out, SOURCE_PORT, m.source().getPort());
        uint16(out, DESTINATION_PORT, m.destination().getPort());
        uint32(out, TIME_SECONDS, (int) Math.floorDiv(m.epochMicros(), 1_000_000L));
        uint32(out, TIME_MICROS, (int) Math.floorMod(m.epochMicros(), 1_000_000L));
        uint8(out, PROTOCOL_TYPE, PROTOCOL_SIP);
        uint32(out, CAPTURE_AGENT_ID, agentId);
        callId.ifPresent(c -> bytes(out, CORRELATION_ID, c));
        nodeName.ifPresent(n -> bytes(out, NODE_NAME, n));
        bytes(out, PAYLOAD, m.payload());
        return Optional.of(out.array());
    }

    /**
     * The 4 bytes of an IPv4 address whose peer is IPv4 too, else 16: HEP has one family per packet, so an IPv4
     * address opposite an IPv6 one (a dual-stack socket) is written as IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}).
     */
    private static byte[] address(InetAddress address, InetAddress other) {
        byte[] raw = address.getAddress();
        if (address instanceof Inet4Address && !(other instanceof Inet4Address)) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(raw, 0, mapped, 12, 4);
            return mapped;
        }
        return raw;
    }

    private static void header(ByteBuffer out, int type, int valueLength) {
        out.putShort((short) 0).putShort((short) type).putShort((short) (CHUNK_HEADER + valueLength));
    }

    private static void uint8(ByteBuffer out, int type, int value) {
        header(out, type, 1);
        out.put((byte) value);
    }

    private static void uint16(ByteBuffer out, int type, int value) {
        header(out, type, 2);
        out.putShort((short) value);
    }

    private static void uint32(ByteBuffer out, int type, int value) {
        header(out, type, 4);
        out.putInt(value);
    }

    private static void bytes(ByteBuffer out, int type, byte[] value) {
        header(out, type, value.length);
        out.put(value);
    }
}
