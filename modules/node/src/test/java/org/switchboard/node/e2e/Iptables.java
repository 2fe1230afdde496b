package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** iptables for the network-failure tests (needs root): a failed rule fails the test with iptables' own words. */
final class Iptables {
    private Iptables() {
    }

    static void run(String... args) {
        List<String> cmd = new ArrayList<>(List.of("iptables", "-w"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed (these tests need root and iptables): " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("iptables is needed for the network-failure tests", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
