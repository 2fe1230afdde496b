package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The release archive as an operator gets it: {@code target/switchboard-<version>.tar.gz} unpacked with tar into an
 * empty directory, its {@code bin/switchboard} started from another empty directory with a HOME that has no Maven
 * repository and a PATH with nothing but bash and java (so no mvn, no build). The node passes the walking skeleton
 * with SIPp: digest REGISTERs, calls through it to a SIPp UAS; then SIGTERM stops it cleanly.
 */
class ReleaseArchiveIT {
    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration SIPP = Duration.ofSeconds(120);
    private static final int USERS = 20;
    private static final int CALLS = 20;

    @Test
    void unpackedArchiveStartsWithoutMavenAndCarriesRegistrationsAndCalls() throws Exception {
        Path archive = Path.of(System.getProperty("switchboard.release-archive", "")).toAbsolutePath();
        assertTrue(Files.isRegularFile(archive), "no release archive at " + archive + " (built by mvn package)");
        Path work = TestFiles.workDir("release-archive");
        Path release = unpack(archive, Files.createDirectories(work.resolve("opt")));
        assertShipsEveryRuntimeJar(release);
        assertTrue(Files.isReadable(release.resolve("conf/switchboard.conf")), "conf/switchboard.conf");
        assertTrue(Files.isReadable(release.resolve("conf/logback.xml")), "conf/logback.xml");

        Path home = Files.createDirectories(work.resolve("home"));
        Path tools = toolsWithoutMaven(Files.createDirectories(work.resolve("tools")));
        Path started = Files.createDirectories(work.resolve("started-here"));
        Path subscribers = TestFiles.subscribers(work, USERS, "callee@sip.test,calleepw");
        int sipPort = FreePorts.udpAndTcp();
        int managementPort = FreePorts.udpAndTcp();
        String node = "127.0.0.1:" + sipPort;
        Path log = work.resolve("node.log");

        ProcessBuilder pb = new ProcessBuilder(release.resolve("bin/switchboard").toString(),
                "--config", release.resolve("conf/switchboard.conf").toString(),
                "--sip", node, "--subscribers", subscribers.toString())
                .directory(started.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", tools.toString());
        pb.environment().put("HOME", home.toString());
        // what a test node gets from NodeProcess (small heap, no warm-up, SIPp's address trusted), plus callers
        // unchallenged as in SingleNodeSippTest; the management port answering proves JAVA_OPTS reached the JVM
        pb.environment().put("JAVA_OPTS", String.join(" ", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dswitchboard.management.port=" + managementPort,
                "-D" + NodeProcess.TRUSTED_PEERS + ".0=127.0.0.1/32", "-D" + NodeProcess.WARM_UP + "=off",
                "-Dswitchboard.proxy.authenticate-callers=off"));
        Process process = pb.start();
        try {
            awaitReady(process, log, managementPort);
            String ready = Processes.read(log, StandardCharsets.UTF_8).lines()
                    .filter(l -> l.contains("Switchboard ready")).findFirst().orElse("");
            assertTrue(ready.contains(" gc=Serial "), "the collector JAVA_OPTS chose, not the launcher's: " + ready);
            assertTrue(Files.exists(started.resolve("data").resolve("journal.mv.db")),
                    "the H2 journal under ./data of the directory the node was started in" + tail(log));

            Path users = TestFiles.registerCsv(work, "users.csv", IntStream.range(0, USERS)
                    .mapToObj(i -> new String[] {TestFiles.user(i), "pw" + TestFiles.user(i)}).toList());
            Sipp.Result reg = Sipp.run(work, "register", node, Sipp.scenario("reg_auth.xml"), FreePorts.udpAndTcp(),
                    SIPP, "-inf", users.toString(), "-m", Integer.toString(USERS), "-r", "20");
            assertEquals(USERS, reg.successful(), reg.diagnosis() + tail(log));
            assertEquals(0, reg.failed(), reg.diagnosis());

            int uasPort = FreePorts.udpAndTcp();
            Path callee = TestFiles.registerCsv(work, "callee.csv", List.<String[]>of(new String[] {"callee", "calleepw"}));
            Sipp.Result calleeReg = Sipp.run(work, "register-callee", node, Sipp.scenario("reg_auth.xml"), uasPort, SIPP,
                    "-inf", callee.toString(), "-m", "1");
            assertEquals(1, calleeReg.successful(), calleeReg.diagnosis() + tail(log));
            try (Sipp uas = Sipp.start(work, "calls-uas", null, Sipp.scenario("uas_call.xml"), uasPort,
                    "-m", Integer.toString(CALLS))) {
                Sipp.Result uac = Sipp.run(work, "calls-uac", node, Sipp.scenario("uac_call.xml"), FreePorts.udpAndTcp(),
                        SIPP, "-inf", TestFiles.calleeCsv(work, "callee").toString(), "-m", Integer.toString(CALLS),
                        "-r", "10");
                assertEquals(CALLS, uac.successful(), uac.diagnosis() + tail(log));
                assertEquals(0, uac.failed(), uac.diagnosis());
                Sipp.Result answered = uas.await(SIPP);
                assertEquals(CALLS, answered.successful(), answered.diagnosis());
            }

            // the release's admin CLI, with no flags from where the node was started: it finds ./data's address and token
            Path cliOut = work.resolve("admin-cli.out");
            ProcessBuilder admin = new ProcessBuilder(release.resolve("bin/switchboard-admin").toString(),
                    "registrations", "callee@" + TestFiles.DOMAIN)
                    .directory(started.toFile()).redirectErrorStream(true).redirectOutput(cliOut.toFile());
            admin.environment().clear();
            admin.environment().put("PATH", tools.toString());
            admin.environment().put("HOME", home.toString());
            Process cli = admin.start();
            assertTrue(cli.waitFor(60, TimeUnit.SECONDS), "the admin CLI answers");
            String listed = Processes.read(cliOut, StandardCharsets.UTF_8);
            assertEquals(0, cli.exitValue(), listed);
            assertTrue(listed.contains("127.0.0.1:" + uasPort), "the callee's binding: " + listed);

            process.destroy(); // SIGTERM, to the JVM itself: the launcher execs it
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the node stops within 60 s of SIGTERM" + tail(log));
            int exit = process.exitValue();
            assertTrue(exit == 0 || exit == 143, "node stops cleanly on SIGTERM, exit " + exit + tail(log));
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code tar -xzf} into an empty directory, as an operator unpacks it; the one directory it made. */
    private static Path unpack(Path archive, Path into) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", into.toString())
                .redirectErrorStream(true).redirectOutput(into.resolveSibling("tar.out").toFile()).start();
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS), "tar finishes");
        assertEquals(0, tar.exitValue(), Files.readString(into.resolveSibling("tar.out")));
        try (Stream<Path> top = Files.list(into)) {
            List<Path> dirs = top.toList();
            assertEquals(1, dirs.size(), "one top directory in the archive: " + dirs);
            Path release = dirs.get(0);
            assertTrue(release.getFileName().toString().matches("switchboard-\\d+\\.\\d+\\.\\d+.*"), release.toString());
            assertTrue(Files.isExecutable(release.resolve("bin/switchboard")), "bin/switchboard is executable");
            return release;
        }
    }

    /** lib/ holds the node's jar and every runtime dependency the developer script's target/lib holds. */
    private static void assertShipsEveryRuntimeJar(Path release) throws IOException {
        Set<String> shipped = names(release.resolve("lib"));
        Set<String> needed = names(Path.of("target", "lib"));
        assertTrue(needed.size() > 20, "target/lib of copy-dependencies: " + needed);
        assertTrue(shipped.containsAll(needed), "missing from lib/: " + needed.stream()
                .filter(n -> !shipped.contains(n)).collect(Collectors.joining(", ")));
        assertTrue(shipped.stream().anyMatch(n -> n.matches("switchboard-node-.*\\.jar")), "the node's jar: " + shipped);
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /** A directory with only bash and the test's own java: what the launcher may use, and no Maven. */
    private static Path toolsWithoutMaven(Path tools) throws IOException {
        Path bash = Stream.of("/usr/bin/bash", "/bin/bash").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("no bash"));
        Files.createSymbolicLink(tools.resolve("bash"), bash);
        Files.createSymbolicLink(tools.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        return tools;
    }

    private static void awaitReady(Process process, Path log, int managementPort) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/ready");
        Await.until("the node to log 'Switchboard ready' and answer GET " + ready + " with 200", READY, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("node exited with " + process.exitValue() + " before ready" + tail(log));
            }
            return Processes.read(log, StandardCharsets.UTF_8).contains("Switchboard ready") && status(http, ready) == 200;
        }, () -> tail(log));
    }

    private static int status(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }

    private static String tail(Path log) {
        String all = Processes.read(log, StandardCharsets.UTF_8);
        return "\n--- " + log + " (tail) ---\n" + all.substring(Math.max(0, all.length() - 4000));
    }
}
