package org.switchboard.transport.netty;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * STUN keep-alives on the SIP port (RFC 5626 §4.4.2, RFC 5389): a phone behind NAT sends Binding requests to keep
 * its mapping open and learns its public address from the answer. Only a well-formed Binding request with no
 * attributes to speak of gets one: a 32- or 44-byte answer to a 20-byte request, from a source the edge has
 * admitted, so the port is no amplifier.
 */
final class Stun {
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int BINDING_REQUEST = 0x0001;
    private static final int BINDING_SUCCESS = 0x0101;
    private static final int XOR_MAPPED_ADDRESS = 0x0020;
    private static final int HEADER = 20;
    private static final int MAX_REQUEST = 548;

    private Stun() {
    }

    /** Whether a datagram is STUN at all: SIP starts with a letter, STUN with two zero bits and the cookie. */
    static boolean isStun(byte[] data) {
        return data.length >= HEADER && (data[0] & 0xC0) == 0 && ByteBuffer.wrap(data, 4, 4).getInt() == MAGIC_COOKIE;
    }

    /** The Binding success response to a Binding request from {@code sender}; empty for anything else. */
    static Optional<byte[]> answer(byte[] request, InetSocketAddress sender) {
        if (!isStun(request) || request.length > MAX_REQUEST) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(request);
        int type = in.getShort() & 0xffff;
        int length = in.getShort() & 0xffff;
        if (type != BINDING_REQUEST || length != request.length - HEADER || length % 4 != 0) {
            return Optional.empty();
        }
        byte[] transaction = new byte[12];
        in.position(8);
        in.get(transaction);
        byte[] address = sender.getAddress().getAddress();
        int attribute = 4 + address.length;
        ByteBuffer out = ByteBuffer.allocate(HEADER + 4 + attribute);
        out.putShort((short) BINDING_SUCCESS).putShort((short) (4 + attribute)).putInt(MAGIC_COOKIE).put(transaction);
        out.putShort((short) XOR_MAPPED_ADDRESS).putShort((short) attribute);
        out.put((byte) 0).put((byte) (address.length == 4 ? 1 : 2));
        out.putShort((short) (sender.getPort() ^ (MAGIC_COOKIE >>> 16)));
        byte[] key = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transaction).array();
        for (int i = 0; i < address.length; i++) {
            out.put((byte) (address[i] ^ key[i]));
        }
        return Optional.of(out.array());
    }
}
