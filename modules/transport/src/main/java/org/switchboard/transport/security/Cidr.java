package org.switchboard.transport.security;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code ::1/128}, for trusted peers (of the proxy, which does not
 * challenge them, and of the edge, which does not limit them).
 */
public record Cidr(byte[] network, int prefix) {

    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text.trim() : text.substring(0, slash).trim();
        byte[] addr = literal(host);
        int prefix = slash < 0 ? addr.length * 8 : Integer.parseInt(text.substring(slash + 1).trim());
        if (prefix < 0 || prefix > addr.length * 8) {
            throw new IllegalArgumentException("prefix length out of range in " + text);
        }
        return new Cidr(addr, prefix);
    }

    public boolean contains(String ip) {
        byte[] a;
        try {
            a = literal(ip);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return contains(a);
    }

    /** For every datagram at the edge: an IPv4 address is compared without copying its bytes. */
    public boolean contains(InetAddress address) {
        if (address instanceof Inet4Address && network.length == 4) {
            int a = address.hashCode(); // Inet4Address: its 32-bit address, no copy
            int n = (network[0] & 0xFF) << 24 | (network[1] & 0xFF) << 16 | (network[2] & 0xFF) << 8 | (network[3] & 0xFF);
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            return (a & mask) == (n & mask);
        }
        return contains(address.getAddress());
    }

    private boolean contains(byte[] a) {
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    private static byte[] literal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.isEmpty() || !(Character.digit(h.charAt(0), 16) >= 0 || h.charAt(0) == ':')) {
            throw new IllegalArgumentException("not an IP literal: " + host);
        }
        try {
            return InetAddress.getByName(h).getAddress(); // a literal: no name lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + host, e);
        }
    }
}
