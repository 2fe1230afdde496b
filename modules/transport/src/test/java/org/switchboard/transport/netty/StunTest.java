package org.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StunTest {
    private static final byte[] TX = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2};

    private static byte[] request(int type, int length, int extra) {
        return ByteBuffer.allocate(20 + extra).putShort((short) type).putShort((short) length).putInt(0x2112A442)
                .put(TX).array();
    }

    @Test
    void aBindingRequestFromIpv6GetsItsXoredAddress() throws Exception {
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        byte[] answer = Stun.answer(request(1, 0, 0), new InetSocketAddress(v6, 5060)).orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(answer);
        assertEquals(0x0101, b.getShort());
        assertEquals(24, b.getShort());
        b.position(20);
        assertEquals(0x20, b.getShort());
        assertEquals(20, b.getShort());
        b.get();
        assertEquals(2, b.get());
        assertEquals(5060, (b.getShort() & 0xffff) ^ 0x2112);
        byte[] key = ByteBuffer.allocate(16).putInt(0x2112A442).put(TX).array();
        byte[] address = new byte[16];
        b.get(address);
        for (int i = 0; i < 16; i++) {
            address[i] ^= key[i];
        }
        assertArrayEquals(v6.getAddress(), address);
    }

    @Test
    void onlyWellFormedBindingRequestsAreAnswered() {
        InetSocketAddress from = new InetSocketAddress("127.0.0.9", 4000);
        assertFalse(Stun.isStun("OPTIONS sip:x SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(Stun.answer(request(0x0011, 0, 0), from).isEmpty(), "not a Binding request");
        assertTrue(Stun.answer(request(1, 8, 0), from).isEmpty(), "a length that lies");
        assertTrue(Stun.answer(request(1, 2, 2), from).isEmpty(), "attributes not on a 4-byte boundary");
        assertTrue(Stun.answer(request(1, 1000, 1000), from).isEmpty(), "too large to be a keep-alive");
        assertTrue(Stun.answer(request(1, 8, 8), from).isPresent(), "a request with an attribute");
    }
}
