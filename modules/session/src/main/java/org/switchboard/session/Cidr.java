package org.switchboard.session;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address block such as {@code 10.0.0.0/8} or {@code ::1/128}, for trusted peers. */
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
