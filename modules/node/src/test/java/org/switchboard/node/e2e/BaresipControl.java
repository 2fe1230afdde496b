package org.switchboard.node.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The connection to a baresip's {@code ctrl_tcp} port: a socket, or, for a phone inside a network namespace the
 * test JVM cannot reach, the pipes of a {@code socat} relay started in that namespace.
 */
record BaresipControl(InputStream in, OutputStream out, AutoCloseable closer) {

    void close() {
        try {
            closer.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    static BaresipControl socket(Process p, Supplier<String> diagnosis, String host, int port) {
        Socket[] connected = new Socket[1];
        Await.until("baresip's control port " + host + ":" + port, Duration.ofSeconds(15), () -> {
            if (!p.isAlive()) {
                throw new AssertionError("baresip exited with " + p.exitValue() + ":\n" + diagnosis.get());
            }
            try {
                connected[0] = new Socket(host, port);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }, diagnosis);
        Socket s = connected[0];
        try {
            return new BaresipControl(s.getInputStream(), s.getOutputStream(), s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A control port inside a network namespace, which the test JVM cannot reach: {@code socat} started with the
     * phone's launcher connects to it there and relays over its standard input and output. {@code -d -d} makes it
     * say "starting data transfer loop" once connected; a refused attempt ends it and another is started.
     */
    static BaresipControl relay(Process p, Supplier<String> diagnosis, List<String> launcher, String host, int port) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("socat", "-d", "-d", "-", "TCP:" + host + ":" + port));
        Process[] relay = new Process[1];
        AtomicBoolean[] up = new AtomicBoolean[1];
        try {
            awaitRelay(p, diagnosis, command, host, port, relay, up);
        } catch (RuntimeException | AssertionError e) {
            if (relay[0] != null) {
                relay[0].destroyForcibly(); // by its own handle: the attempt that never connected
            }
            throw e;
        }
        Process r = relay[0];
        return new BaresipControl(r.getInputStream(), r.getOutputStream(), () -> {
            r.destroy();
            r.waitFor(5, TimeUnit.SECONDS);
        });
    }

    private static void awaitRelay(Process p, Supplier<String> diagnosis, List<String> command, String host, int port,
                                   Process[] relay, AtomicBoolean[] up) {
        Await.until("baresip's control port " + host + ":" + port + " through socat", Duration.ofSeconds(15), () -> {
            if (!p.isAlive()) {
                throw new AssertionError("baresip exited with " + p.exitValue() + ":\n" + diagnosis.get());
            }
            if (relay[0] == null || !relay[0].isAlive() && !up[0].get()) {
                try {
                    relay[0] = new ProcessBuilder(command).start();
                } catch (IOException e) {
                    throw new UncheckedIOException("socat is needed to reach a phone in a network namespace", e);
                }
                up[0] = new AtomicBoolean();
                watch(relay[0], up[0]);
            }
            return up[0].get();
        }, diagnosis);
    }

    /** Drains socat's diagnostics, noting when its connection is up. */
    private static void watch(Process relay, AtomicBoolean up) {
        Thread t = new Thread(() -> {
            try (var err = new BufferedReader(new InputStreamReader(relay.getErrorStream(),
                    StandardCharsets.US_ASCII))) {
                for (String line; (line = err.readLine()) != null; ) {
                    if (line.contains("starting data transfer loop")) {
                        up.set(true);
                    }
                }
            } catch (IOException ended) {
                // the relay ended
            }
        }, "socat-relay");
        t.setDaemon(true);
        t.start();
    }
}
