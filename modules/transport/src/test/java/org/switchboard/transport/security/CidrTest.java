package org.switchboard.transport.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void anAddressMatchesByStringAndByInetAddressAlike() throws Exception {
        Cidr net = Cidr.parse("10.1.0.0/15");
        for (String ip : new String[] {"10.0.255.255", "10.1.2.3", "10.2.0.0", "11.1.2.3", "::1"}) {
            boolean expected = ip.startsWith("10.0.") || ip.startsWith("10.1.");
            assertTrue(net.contains(ip) == expected, ip);
            assertTrue(net.contains(InetAddress.getByName(ip)) == expected, ip);
        }
        assertTrue(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("198.51.100.1")));
        assertTrue(Cidr.parse("127.0.0.1").contains(InetAddress.getByName("127.0.0.1")));
        assertFalse(Cidr.parse("127.0.0.1").contains(InetAddress.getByName("127.0.0.2")));
        assertTrue(Cidr.parse("2001:db8::/32").contains(InetAddress.getByName("2001:db8:1::5")));
        assertFalse(Cidr.parse("2001:db8::/32").contains(InetAddress.getByName("10.0.0.1")));
    }
}
