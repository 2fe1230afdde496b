package org.switchboard.node.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real DNS server for the tests: Debian's dnsmasq on a loopback address and a free port, answering only the
 * records it is given (no upstream, no /etc/hosts) and NXDOMAIN for the rest of *.test.
 */
final class Dnsmasq implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final InetSocketAddress address;

    private Dnsmasq(Process process, Path log, InetSocketAddress address) {
        this.process = process;
        this.log = log;
        this.address = address;
    }

    /** Starts it with these record options (--srv-host=..., --host-record=..., --naptr-record=...), ready to answer. */
    static Dnsmasq start(Path work, String ip, List<String> records) {
        int port = freeUdpPort(ip);
        List<String> cmd = new ArrayList<>(List.of("dnsmasq", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
                "--keep-in-foreground", "--port=" + port, "--listen-address=" + ip, "--bind-interfaces",
                "--pid-file", "--local=/test/", "--log-queries", "--log-facility=-"));
        cmd.addAll(records);
        try {
            Path log = work.resolve("dnsmasq-" + port + ".log");
            Files.createDirectories(work);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Dnsmasq dns = new Dnsmasq(p, log, new InetSocketAddress(ip, port));
            Await.until("dnsmasq to answer on " + ip + ":" + port, Duration.ofSeconds(20), dns::answers, dns::output);
            return dns;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dnsmasq (is dnsmasq-base installed?)", e);
        }
    }

    /** "127.0.0.53:PORT", as switchboard.dns.servers takes it. */
    String server() {
        return address.getHostString() + ":" + address.getPort();
    }

    private boolean answers() {
        if (!process.isAlive()) {
            throw new AssertionError("dnsmasq exited: " + output());
        }
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(300);
            byte[] q = query("ready.test");
            s.send(new DatagramPacket(q, q.length, address));
            s.receive(new DatagramPacket(new byte[512], 512));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** A minimal DNS query for the A record of {@code name} (RFC 1035 §4.1). */
    static byte[] query(String name) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return b.toByteArray();
    }

    /**
     * A UDP port free on {@code ip}, from {@link FreePorts}' range below the kernel's ephemeral ports: a port-0 bind
     * would hand out an ephemeral port that a later socket of the same run (a node's, SIPp's) may get from the
     * kernel before the test's gateway binds it.
     */
    static int freeUdpPort(String ip) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = FreePorts.udpAndTcp();
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(ip, port))) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // taken on this address: the next one
            }
        }
        throw new UncheckedIOException(new IOException("no free UDP port on " + ip));
    }

    String output() {
        return Processes.read(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
