package org.switchboard.transport.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import com.typesafe.config.Config;

import io.netty.util.NetUtil;

/**
 * How next hops given as host names are looked up (switchboard.dns).
 *
 * @param servers          DNS servers to ask, in order; empty: those of the system's resolv.conf
 * @param timeout          how long one DNS query may take
 * @param deadTargetFor    how long a target that failed is tried last
 * @param failoverTimeout  how long a UDP request waits for any response from one target before the next is tried
 */
public record DnsSettings(List<InetSocketAddress> servers, Duration timeout, Duration deadTargetFor,
                          Duration failoverTimeout) {

    public DnsSettings {
        servers = List.copyOf(servers);
    }

    public static DnsSettings defaults() {
        return new DnsSettings(List.of(), Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(4));
    }

    public static DnsSettings fromConfig(Config dns) {
        return new DnsSettings(dns.getStringList("servers").stream().map(DnsSettings::server).toList(),
                dns.getDuration("timeout"), dns.getDuration("dead-target-for"), dns.getDuration("failover-timeout"));
    }

    /** "192.0.2.53", "192.0.2.53:5353", "[2001:db8::53]:53" or "2001:db8::53": an address, port 53 by default. */
    static InetSocketAddress server(String text) {
        String host = text;
        int port = 53;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            host = text.substring(1, close);
            if (close + 1 < text.length()) {
                port = Integer.parseInt(text.substring(close + 2));
            }
        } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') > 0) {
            host = text.substring(0, text.indexOf(':'));
            port = Integer.parseInt(text.substring(text.indexOf(':') + 1));
        }
        byte[] address = NetUtil.createByteArrayFromIpAddressString(host);
        if (address == null) {
            throw new IllegalArgumentException("switchboard.dns.servers: not an IP address: " + text);
        }
        try {
            return new InetSocketAddress(java.net.InetAddress.getByAddress(address), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("switchboard.dns.servers: " + text, e);
        }
    }
}
