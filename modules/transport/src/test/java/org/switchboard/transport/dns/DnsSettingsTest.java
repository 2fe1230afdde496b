package org.switchboard.transport.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class DnsSettingsTest {
    @Test
    void serversAreAddressesWithPort53ByDefault() {
        assertEquals(new InetSocketAddress("192.0.2.53", 53), DnsSettings.server("192.0.2.53"));
        assertEquals(new InetSocketAddress("127.0.0.53", 5353), DnsSettings.server("127.0.0.53:5353"));
        assertEquals(new InetSocketAddress("2001:db8::53", 53), DnsSettings.server("2001:db8::53"));
        assertEquals(new InetSocketAddress("2001:db8::53", 54), DnsSettings.server("[2001:db8::53]:54"));
        assertThrows(IllegalArgumentException.class, () -> DnsSettings.server("dns.example.com"),
                "a name would need DNS to find DNS");
    }
}
