package org.switchboard.transport.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
    @Test
    void capsPerAddressAndInTotalWithTrustedPeersExempt() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(5, 2, TrustedPeers.parse(List.of("192.0.2.0/24")));
        InetAddress a = InetAddress.getByName("203.0.113.1");
        InetAddress b = InetAddress.getByName("203.0.113.2");
        assertTrue(limits.tryOpen(a));
        assertTrue(limits.tryOpen(a));
        assertFalse(limits.tryOpen(a), "third from one address");
        assertTrue(limits.tryOpen(b));
        limits.closed(a);
        assertTrue(limits.tryOpen(a), "a slot freed by a close");
        assertTrue(limits.tryOpen(b));
        assertEquals(4, limits.open());
        assertTrue(limits.tryOpen(InetAddress.getByName("203.0.113.3")));
        assertFalse(limits.tryOpen(InetAddress.getByName("203.0.113.4")), "total cap");
        for (int i = 0; i < 100; i++) {
            assertTrue(limits.tryOpen(InetAddress.getByName("192.0.2.10")), "trusted");
        }
        assertEquals(5, limits.open());
    }
}
