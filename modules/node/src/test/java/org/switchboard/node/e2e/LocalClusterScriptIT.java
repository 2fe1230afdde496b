package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@code deploy/local-cluster}, as operators and scripts use it: start prints one line per node in exactly the
 * documented form once all are ready, the cluster registers a phone through either transport node, stop ends
 * every process, PostgreSQL's included; and again, start after start. The cluster's directory is inside a private
 * one (mode 0700, as {@code mktemp -d} makes it), which PostgreSQL's own account cannot enter when the script runs
 * as root. A start that fails (a taken port, a node that dies) exits non-zero, names the node, and leaves nothing
 * running.
 */
class LocalClusterScriptIT {

    /**
     * Starts in a row: 1 in CI (with every check; CI's 25 minutes hold no second five-node start), more as an
     * operator's restarts (start, a REGISTER through each transport node, stop): {@code -Dlocal-cluster.starts=10}
     * for the soak.
     */
    private static final int STARTS = Integer.getInteger("local-cluster.starts", 1);
    /** How long a process may take to vanish once stop (or a failed start) has killed it. */
    private static final Duration GONE = Duration.ofSeconds(10);
    private static final Path SCRIPT = Sipp.scenario("reg_auth.xml").getParent().getParent().getParent()
            .resolve("deploy/local-cluster");

    @Test
    void startsFiveReadyNodesAndStopsThem() throws Exception {
        Path work = TestFiles.workDir("local-cluster");
        Path subscribers = TestFiles.write(work.resolve("subscribers.csv"), List.of("alice@sip.test,alicepw"));
        Path dir = privateDir(work).resolve("cluster");
        // the same phone ports at every start: the cluster keeps its bindings, and alice stays at two devices
        Map<String, Integer> phonePorts = Map.of("127.0.0.2:5060", FreePorts.udpAndTcp(), "127.0.0.3:5060", FreePorts.udpAndTcp());
        List<Long> seconds = new ArrayList<>();
        for (int attempt = 1; attempt <= STARTS; attempt++) {
            long began = System.nanoTime();
            startRegisterAndStop(work, subscribers, dir, phonePorts, attempt == 1, "start " + attempt + " of " + STARTS + ": ");
            seconds.add(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
        }
        // the soak's figures for the report: seconds per start-use-stop cycle
        System.out.println("LocalClusterScriptIT: " + STARTS + " starts in a row, all good; seconds each: " + seconds);
    }

    /** A port one node needs, taken by another process: the start fails before it starts anything, naming the node. */
    @Test
    void aTakenPortFailsTheStartAndNamesTheNode() throws Exception {
        Path work = TestFiles.workDir("local-cluster-port");
        Path dir = privateDir(work).resolve("cluster");
        Run start;
        try (ServerSocket taken = new ServerSocket()) {
            taken.setReuseAddress(true); // a previous cluster's connections may linger in TIME_WAIT on that port
            taken.bind(new InetSocketAddress("127.0.0.5", 25520));
            start = run(work, "start.out", SCRIPT.toString(), "start", "--dir", dir.toString());
        }
        assertEquals(1, start.exit(), start.output());
        assertTrue(start.output().contains("core-2 cannot start: 127.0.0.5:25520 is taken by another process"), start.output());
        assertNothingLeft(dir, start.output());
    }

    /**
     * A node that dies while the cluster starts (SIGKILL to core-2 once it has logged its first line): the start
     * fails, names the node with its last log lines, and leaves nothing running — no node, no PostgreSQL.
     */
    @Test
    void aStartThatFailsStopsEverythingItStartedAndSaysWhichNode() throws Exception {
        Path work = TestFiles.workDir("local-cluster-fails");
        Path dir = privateDir(work).resolve("cluster");
        Path out = work.resolve("start.out");
        Process start = new ProcessBuilder(SCRIPT.toString(), "start", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            Path pidFile = dir.resolve("core-2.pid");
            Path log = dir.resolve("core-2.log");
            // killed once it has logged a line: its last lines are then something to show
            Await.until("core-2 logging", Duration.ofSeconds(180),
                    () -> pidIn(pidFile).isPresent() && read(log).contains("\n"), () -> read(out));
            ProcessHandle.of(pidIn(pidFile).orElseThrow()).ifPresent(ProcessHandle::destroyForcibly);
            assertTrue(start.waitFor(120, TimeUnit.SECONDS), "the start gives up: " + read(out));
            String output = read(out);
            assertEquals(1, start.exitValue(), output);
            assertTrue(output.contains("local-cluster: core-2 exited during start-up; from " + log), output);
            List<String> logged = read(log).lines().toList();
            String last = logged.get(logged.size() - 1);
            assertTrue(output.contains("its last 20 lines") && output.contains(last.substring(0, Math.min(300, last.length()))),
                    "the node's last log lines: " + output);
            assertTrue(output.contains("stopped every node and PostgreSQL"), output);
            assertNothingLeft(dir, output);
        } finally {
            start.destroyForcibly();
            run(work, "stop.out", SCRIPT.toString(), "stop", "--dir", dir.toString());
        }
    }

    /** A directory as {@code mktemp -d} makes it: mode 0700, so only its owner (root here) may enter it. */
    private static Path privateDir(Path work) throws IOException {
        Path dir = Files.createDirectories(work.resolve("private"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    private static void startRegisterAndStop(Path work, Path subscribers, Path dir, Map<String, Integer> phonePorts,
                                             boolean everyCheck, String which) throws Exception {
        try {
            Run start = run(work, "start.out", SCRIPT.toString(), "start", "--dir", dir.toString(), "--subscribers", subscribers.toString());
            assertEquals(0, start.exit(), which + start.output());
            List<String> lines = start.output().lines().filter(l -> !l.startsWith("local-cluster:")).toList();
            assertEquals(5, lines.size(), which + start.output());
            for (String line : lines) {
                assertTrue(line.matches("(transport \\d+ sip=127\\.0\\.0\\.\\d+:5060|core \\d+ sip=-) mgmt=127\\.0\\.0\\.\\d+:8558"),
                        which + "line format: " + line);
            }
            for (String transport : List.of("127.0.0.2:5060", "127.0.0.3:5060")) {
                registerAlice(work, transport, phonePorts.get(transport), which);
            }
            if (everyCheck) {
                adminAnswersForTheWholeCluster(work, dir, phonePorts.get("127.0.0.3:5060"), which);
                theCliManagesTheClusterThroughAnyNode(work, dir, which);
            }
        } finally {
            Run stop = run(work, "stop.out", SCRIPT.toString(), "stop", "--dir", dir.toString());
            assertEquals(0, stop.exit(), which + stop.output());
        }
        assertNothingLeft(dir, which);
    }

    /**
     * alice registers through {@code transport} as a phone does: a {@code 503} (the node sheds new work while its
     * dispatcher runs late, as it does on two cores shared by five JVMs and other builds) is tried again after its
     * Retry-After, for up to 90 s; any other failure fails at once.
     */
    private static void registerAlice(Path work, String transport, int phonePort, String which) {
        Path csv = TestFiles.registerCsv(work, "alice-" + transport.charAt(8) + ".csv", List.<String[]>of(new String[] {"alice", "alicepw"}));
        Sipp.Result[] last = {null};
        long[] next = {0};
        int[] attempts = {0};
        Await.until("alice registered through " + transport, Duration.ofSeconds(90), () -> {
            if (System.nanoTime() < next[0]) {
                return false;
            }
            last[0] = Sipp.run(work, "register-via-" + transport.charAt(8) + "-" + System.nanoTime(), transport,
                    Sipp.scenario("reg_auth.xml"), phonePort, Duration.ofSeconds(30), "-inf", csv.toString(), "-m", "1");
            attempts[0]++;
            next[0] = System.nanoTime() + Duration.ofSeconds(5).toNanos(); // the 503's Retry-After
            return last[0].successful() == 1 || !last[0].diagnosis().contains("503 Service Unavailable");
        }, () -> which + last[0].diagnosis());
        assertEquals(1, last[0].successful(), which + "REGISTER through " + transport + " (attempt " + attempts[0] + ")"
                + last[0].diagnosis());
    }

    /**
     * Nothing of the cluster in {@code dir} runs: no PID file, no process whose command line names the directory
     * (the nodes: {@code --config DIR/NAME.conf}) or PostgreSQL's (in DIR, or where DIR/pg-files says), and nothing
     * listens on PostgreSQL's port.
     */
    private static void assertNothingLeft(Path dir, String context) throws IOException {
        try (var pids = Files.list(dir)) {
            assertTrue(pids.noneMatch(p -> p.toString().endsWith(".pid")), "a PID file left: " + context);
        }
        List<String> places = new ArrayList<>(List.of(dir + "/"));
        if (Files.exists(dir.resolve("pg-files"))) {
            places.add(Files.readString(dir.resolve("pg-files")).trim() + "/");
        }
        Await.until("no process of the cluster left", GONE, () -> processesIn(places).isEmpty(),
                () -> "still running: " + processesIn(places) + "\n" + context);
        try (Socket postgres = new Socket()) {
            postgres.connect(new InetSocketAddress("127.0.0.1", 15432), 2000);
            throw new AssertionError("PostgreSQL still listens on 127.0.0.1:15432: " + context);
        } catch (ConnectException expected) {
            // stopped
        }
    }

    private static List<String> processesIn(List<String> places) {
        return ProcessHandle.allProcesses()
                .map(p -> p.pid() + " " + p.info().arguments().map(a -> String.join(" ", a)).orElse(""))
                .filter(line -> places.stream().anyMatch(line::contains))
                .toList();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The nodes share the token they made in the cluster's data directory; a subscriber added through one node's
     * admin API registers at once through a transport node, and a core node's API shows the binding.
     */
    private static void adminAnswersForTheWholeCluster(Path work, Path dir, int phonePort, String which) {
        String token = AdminHttp.of(dir.resolve("data")).token();
        AdminHttp viaTransport = new AdminHttp("http://127.0.0.2:8558", token);
        AdminHttp viaCore = new AdminHttp("http://127.0.0.5:8558", token);
        AdminHttp.Answer added = viaTransport.put("/subscribers/bob@sip.test", "{\"password\":\"bobpw\"}");
        assertEquals(200, added.status(), which + added.body());
        Path csv = TestFiles.registerCsv(work, "bob.csv", List.<String[]>of(new String[] {"bob", "bobpw"}));
        Sipp.Result reg = Sipp.run(work, "register-bob-" + System.nanoTime(), "127.0.0.3:5060",
                Sipp.scenario("reg_auth.xml"), phonePort, Duration.ofSeconds(30), "-inf", csv.toString(), "-m", "1");
        assertEquals(1, reg.successful(), which + "a subscriber added through the API registers at once" + reg.diagnosis());
        AdminHttp.Answer bindings = viaCore.get("/registrations/bob@sip.test");
        assertEquals("REGISTERED", bindings.json().path("status").asText(), which + bindings.body());
        assertEquals("127.0.0.3:25520", bindings.json().path("bindings").get(0).path("transportNode").asText()
                .replaceAll("^.*@", ""), which + bindings.body());
        AdminHttp.Answer cluster = viaCore.get("/cluster");
        assertEquals(5, cluster.json().path("members").size(), which + cluster.body());
        assertTrue(cluster.json().path("journal").path("healthy").asBoolean(), which + cluster.body());
    }

    /**
     * bin/switchboard-admin against the cluster as an operator runs it, with --url and --token-file: subscribers added
     * through a transport node's API; a call between them placed through one transport node to a callee registered
     * through the other, listed and hung up through core nodes (a BYE to each SIPp); a subscriber disabled through a
     * core node is refused with 403 at once. The web console of a third core node, in headless Chromium, shows the
     * members and the call while it is up, and its end.
     */
    private static void theCliManagesTheClusterThroughAnyNode(Path work, Path dir, String which) {
        String tokenFile = dir.resolve("data/admin-token").toString();
        java.util.function.BiFunction<String, String[], AdminCliRun> cli = (node, args) -> {
            String[] all = new String[args.length + 4];
            System.arraycopy(new String[] {"--url", "http://" + node + ":8558", "--token-file", tokenFile}, 0, all, 0, 4);
            System.arraycopy(args, 0, all, 4, args.length);
            return AdminCliRun.of(work, all);
        };
        for (String user : List.of("carol", "dave")) {
            AdminCliRun added = cli.apply("127.0.0.2", new String[] {"subscriber", "add", user + "@sip.test", "--password", "pw"});
            assertEquals(0, added.exit(), which + added.err());
        }
        int calleePort = CallScenariosTest.register(work, "127.0.0.3:5060", "carol");
        Path csv = TestFiles.write(work.resolve("cli-call-" + System.nanoTime() + ".csv"), List.of("SEQUENTIAL",
                "carol;sip.test;dave;[authentication username=dave password=pw]"));
        java.time.Duration sipp = Duration.ofSeconds(60);
        java.time.Duration shown = Duration.ofSeconds(20);
        String token = AdminHttp.of(dir.resolve("data")).token();
        try (HeadlessChromium console = HeadlessChromium.start(work, 1400, 1300);
             Sipp callee = Sipp.start(work, "cli-uas-" + calleePort, null,
                Sipp.testScenario(work, "uas_session_expires.xml", Map.of()), calleePort, "-m", "1");
             Sipp caller = Sipp.start(work, "cli-uac-" + calleePort, "127.0.0.2:5060",
                     Sipp.testScenario(work, "uac_authenticates_held.xml", Map.of()), FreePorts.udpAndTcp(),
                     // SIPp's digest uri is the remote address unless told: the node wants the Request-URI there
                     "-inf", csv.toString(), "-m", "1", "-auth_uri", "carol@sip.test")) {
            String[] callId = {""};
            Await.until("the CLI lists the call through a core node", Duration.ofSeconds(20), () -> {
                AdminCliRun calls = cli.apply("127.0.0.4", new String[] {"calls", "--json"});
                callId[0] = calls.exit() != 0 ? "" : java.util.stream.StreamSupport.stream(
                                calls.json().path("calls").spliterator(), false)
                        .filter(c -> c.path("to").asText().contains("carol@sip.test"))
                        .map(c -> c.path("callId").asText()).findFirst().orElse("");
                return !callId[0].isEmpty();
            }, () -> cli.apply("127.0.0.4", new String[] {"calls"}).out());
            // the web console of another core node shows the five members and the call while it is up
            console.open("http://127.0.0.6:8558/console#token=" + token);
            Await.until("the console shows the five members", shown, () -> console.text("members").split("127\\.0\\.0\\.", -1).length > 5,
                    () -> console.text("members") + "\n" + console.text("status"));
            Await.until("the console shows the call", shown, () -> console.text("calls-body").contains(callId[0]),
                    () -> console.text("calls") + "\n" + console.text("status"));
            AdminCliRun hangup = cli.apply("127.0.0.5", new String[] {"hangup", callId[0]});
            assertEquals(0, hangup.exit(), which + hangup.err());
            Await.until("the call gone from the console", shown, () -> !console.text("calls-body").contains(callId[0]),
                    () -> console.text("calls"));
            assertEquals(1, caller.await(sipp).successful(), which + "the caller got the operator's BYE");
            assertEquals(1, callee.await(sipp).successful(), which + "the callee got the operator's BYE");
        }
        AdminCliRun disabled = cli.apply("127.0.0.5", new String[] {"subscriber", "disable", "dave@sip.test"});
        assertEquals(0, disabled.exit(), which + disabled.err());
        AdminApiTest.register(work, "127.0.0.2:5060", "dave", "pw", 403, () -> "");
        AdminCliRun cluster = cli.apply("127.0.0.6", new String[] {"cluster"});
        assertEquals(0, cluster.exit(), which + cluster.err());
        assertEquals(5, cluster.out().lines().filter(l -> l.contains(" Up ") || l.contains(" Up")).count(),
                which + cluster.out());
    }

    private static java.util.Optional<Long> pidIn(Path file) {
        try {
            String text = Files.readString(file).trim();
            return text.matches("\\d+") ? java.util.Optional.of(Long.parseLong(text)) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run run(Path work, String log, String... command) throws InterruptedException {
        try {
            Path out = work.resolve(log);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(420, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("deploy/local-cluster did not finish within 420 s:\n" + Files.readString(out));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
