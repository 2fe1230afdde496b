package org.switchboard.transport.hep;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import com.typesafe.config.Config;

/**
 * {@code switchboard.capture.hep}: where and how SIP capture sends HEP packets.
 *
 * @param collector the collector's address (Homer's heplify-server, a captagent), resolved once at start
 * @param agentId   the capture agent id written in every packet (uint32)
 * @param nodeName  the node name written in every packet; empty: the caller's default
 * @param sampling  which calls are captured
 * @param queue     messages waiting for the sender at most; more are dropped and counted
 */
public record HepSettings(InetSocketAddress collector, long agentId, Optional<String> nodeName, Sampling sampling,
                          int queue) {

    private static final String KEY = "switchboard.capture.hep.";

    /** How the collector's host is looked up: the system's resolver, or a test's. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    /**
     * The settings when capture is on, empty when it is off. Every value is checked either way (a typo is found
     * before the day capture is turned on); the collector's host is looked up only when it is on.
     *
     * @throws IllegalArgumentException naming the key and what is wrong with it
     */
    public static Optional<HepSettings> fromConfig(Config hep) {
        return fromConfig(hep, InetAddress::getByName);
    }

    /** {@link #fromConfig(Config)} with the collector's host looked up by {@code resolver}. */
    static Optional<HepSettings> fromConfig(Config hep, Resolver resolver) {
        boolean enabled = hep.getBoolean("enabled");
        String collector = hep.getString("collector");
        HostAndPort target = HostAndPort.parse(collector);
        long agentId = hep.getLong("agent-id");
        if (agentId < 0 || agentId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(KEY + "agent-id must be 0 to 4294967295 (HEP's uint32), not " + agentId);
        }
        double sample = hep.getDouble("sample");
        if (!(sample >= 0 && sample <= 1)) {
            throw new IllegalArgumentException(KEY + "sample must be 0 to 1 (the share of calls captured), not " + sample);
        }
        int queue = hep.getInt("queue");
        if (queue < 1) {
            throw new IllegalArgumentException(KEY + "queue must be at least 1, not " + queue);
        }
        String nodeName = hep.getString("node-name").trim();
        if (!enabled) {
            return Optional.empty();
        }
        return Optional.of(new HepSettings(target.resolve(collector, resolver), agentId,
                nodeName.isEmpty() ? Optional.empty() : Optional.of(nodeName), new Sampling(sample), queue));
    }

    /** {@code host:port} or {@code [IPv6]:port}, as written; the host not yet looked up. */
    record HostAndPort(String host, int port) {
        static HostAndPort parse(String text) {
            String host;
            String port;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                    throw bad(text, "an IPv6 collector is written [address]:port");
                }
                host = text.substring(1, close);
                port = text.substring(close + 2);
            } else {
                int colon = text.lastIndexOf(':');
                if (colon < 0) {
                    throw bad(text, "host:port is needed, e.g. \"homer.example.net:9060\"");
                }
                host = text.substring(0, colon);
                port = text.substring(colon + 1);
                if (host.indexOf(':') >= 0) {
                    throw bad(text, "an IPv6 collector is written [address]:port");
                }
            }
            if (host.isBlank()) {
                throw bad(text, "the host is missing");
            }
            int number;
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw bad(text, "the port must be a number 1-65535");
            }
            if (number < 1 || number > 65535) {
                throw bad(text, "the port must be a number 1-65535");
            }
            return new HostAndPort(host, number);
        }

        InetSocketAddress resolve(String text, Resolver resolver) {
            try {
                return new InetSocketAddress(resolver.resolve(host), port);
            } catch (UnknownHostException e) {
                throw bad(text, "host " + host + " cannot be resolved");
            }
        }

        private static IllegalArgumentException bad(String text, String why) {
            return new IllegalArgumentException(KEY + "collector \"" + text + "\": " + why);
        }
    }
}
