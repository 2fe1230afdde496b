package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A home network behind a NAT router, built from three network namespaces (needs root and iproute2, iptables):
 * a public network 198.51.100.0/24 (the node at .2, other hosts from .3), a router at 198.51.100.1 that masquerades
 * everything leaving on its public side (UDP onto ports 20000-29999), and a LAN 192.168.77.0/24 behind it whose hosts have a default route via
 * the router at .1. Nothing on the public side has a route to the LAN. Names are unique per run ({@code sbw-},
 * {@code sbr-}, {@code sbl-} and a random suffix); {@link #close} deletes the namespaces, and with them their
 * interfaces and NAT rule. Anything started in a namespace must be stopped first.
 */
final class NatNetwork implements AutoCloseable {
    static final String ROUTER_PUBLIC = "198.51.100.1";
    static final String NODE = "198.51.100.2";
    static final String PUBLIC_HOST = "198.51.100.3";
    static final String ROUTER_LAN = "192.168.77.1";
    static final String LAN_HOST = "192.168.77.2";
    /** The public ports the router maps LAN hosts' UDP ports to. */
    static final int MAPPED_PORTS_FROM = 20000;
    static final int MAPPED_PORTS_TO = 29999;

    private final String id;
    private final String pub;
    private final String router;
    private final String lan;
    private final List<String> created = new ArrayList<>();

    private NatNetwork(String id) {
        this.id = id;
        this.pub = "sbw-" + id;
        this.router = "sbr-" + id;
        this.lan = "sbl-" + id;
    }

    /** Builds the three namespaces; fails (never skips) with the command's own words when one cannot be made. */
    static NatNetwork create() {
        NatNetwork n = new NatNetwork(Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF)));
        try {
            n.build();
            return n;
        } catch (RuntimeException | AssertionError e) {
            n.close();
            throw e;
        }
    }

    private void build() {
        for (String ns : List.of(pub, router, lan)) {
            run("ip", "netns", "add", ns);
            created.add(ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        String pubIf = "p" + id;
        String wanIf = "rw" + id;
        String lanIf = "rl" + id;
        String hostIf = "l" + id;
        run("ip", "link", "add", pubIf, "netns", pub, "type", "veth", "peer", "name", wanIf, "netns", router);
        run("ip", "link", "add", lanIf, "netns", router, "type", "veth", "peer", "name", hostIf, "netns", lan);
        run("ip", "-n", pub, "addr", "add", NODE + "/24", "dev", pubIf);
        run("ip", "-n", pub, "addr", "add", PUBLIC_HOST + "/24", "dev", pubIf);
        run("ip", "-n", router, "addr", "add", ROUTER_PUBLIC + "/24", "dev", wanIf);
        run("ip", "-n", router, "addr", "add", ROUTER_LAN + "/24", "dev", lanIf);
        run("ip", "-n", lan, "addr", "add", LAN_HOST + "/24", "dev", hostIf);
        run("ip", "-n", pub, "link", "set", pubIf, "up");
        run("ip", "-n", router, "link", "set", wanIf, "up");
        run("ip", "-n", router, "link", "set", lanIf, "up");
        run("ip", "-n", lan, "link", "set", hostIf, "up");
        run("ip", "-n", lan, "route", "add", "default", "via", ROUTER_LAN);
        run("ip", "netns", "exec", router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        // UDP ports are rewritten too (as many carrier NATs do): a node that answered a phone at its own port
        // rather than at the one its packets came from would not reach it
        run("ip", "netns", "exec", router, "iptables", "-w", "-t", "nat", "-A", "POSTROUTING", "-o", wanIf,
                "-p", "udp", "-j", "MASQUERADE", "--to-ports", MAPPED_PORTS_FROM + "-" + MAPPED_PORTS_TO);
        run("ip", "netns", "exec", router, "iptables", "-w", "-t", "nat", "-A", "POSTROUTING", "-o", wanIf,
                "-j", "MASQUERADE");
    }

    /** The launcher that runs a command on the public network. */
    List<String> inPublic() {
        return List.of("ip", "netns", "exec", pub);
    }

    /** The launcher that runs a command on the LAN, behind the NAT. */
    List<String> inLan() {
        return List.of("ip", "netns", "exec", lan);
    }

    /** A command's output (stderr included) run on the public network, whatever its exit code. */
    String onPublic(String... command) {
        List<String> cmd = new ArrayList<>(inPublic());
        cmd.addAll(List.of(command));
        return exec(cmd).output();
    }

    String describe() {
        return "namespaces " + pub + " (public), " + router + " (NAT router), " + lan + " (LAN)";
    }

    private static void run(String... command) {
        Result r = exec(List.of(command));
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed with " + r.exit()
                    + " (the NAT test needs root, iproute2 and iptables, and network namespaces): " + r.output());
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within 30 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + " (the NAT test needs iproute2)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Deletes the namespaces made (their veths and the router's NAT rule go with them); reports what failed. */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        for (int i = created.size() - 1; i >= 0; i--) {
            String ns = created.get(i);
            Result r = exec(List.of("ip", "netns", "delete", ns));
            if (r.exit() == 0) {
                created.remove(ns);
            } else {
                failures.add(ns + ": " + r.output());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("could not delete network namespaces " + failures);
        }
    }
}
