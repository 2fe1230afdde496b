package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Switchboard node in its own JVM, started with {@code org.switchboard.node.Main} and the test classpath,
 * its output in a log file under target/. Stopped with SIGTERM (or SIGKILL, to test crashes).
 */
final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private NodeProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * The tests' SIPp load and phones send from 127.0.0.1, as a load generator would: it is a trusted peer of the
     * edge (no rate limit, no bans) unless the JVM options set this key themselves. Attackers play from 127.0.0.2
     * and up, which stay untrusted.
     */
    static final String TRUSTED_PEERS = "switchboard.security.trusted-peers";

    /**
     * Test nodes start without the warm-up (its 20-40 s of calls before ready would be paid by every test) unless
     * the JVM options set it themselves, as {@code WarmUpTest} does.
     */
    static final String WARM_UP = "switchboard.warm-up.enabled";

    static NodeProcess start(Path log, String... args) {
        // nodes of several tests may run at once: each gets its own management port unless a test sets one
        return start(log, List.of("-Dswitchboard.management.port=" + FreePorts.udpAndTcp()), args);
    }

    static NodeProcess start(Path log, List<String> jvmOptions, String... args) {
        return start(log, List.of(), jvmOptions, args);
    }

    /** With a launcher in front of the JVM's command line (e.g. one that places it in a cgroup first). */
    static NodeProcess start(Path log, List<String> launcher, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-D" + TRUSTED_PEERS))) {
            command.add("-D" + TRUSTED_PEERS + ".0=127.0.0.1/32");
        }
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Dswitchboard.warm-up"))) {
            command.add("-D" + WARM_UP + "=off");
        }
        command.addAll(List.of(
                "--add-opens", "java.base/java.nio=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                "org.switchboard.node.Main"));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new NodeProcess(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    NodeProcess awaitReady(Duration timeout) {
        Await.until("the node to log 'Switchboard ready'", timeout,
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("node exited with " + process.exitValue() + " before ready:\n" + tail());
                    }
                    return output().contains("Switchboard ready");
                }, this::tail);
        return this;
    }

    /** SIGTERM, and waits for the JVM to end. */
    int stop(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    /** SIGKILL: the node dies at once, as in a crash. */
    void kill(Duration timeout) {
        process.destroyForcibly();
        awaitExit(timeout);
    }

    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("node did not exit within " + timeout.toSeconds() + " s:\n" + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    String tail() {
        String all = output();
        return "--- " + log + " (tail) ---\n" + all.substring(Math.max(0, all.length() - 4000));
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly); // a launcher's children: the JVM among them
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
