package org.switchboard.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SIPp, the independent SIP peer: runs a scenario of {@code bench/sipp} (or the tests' own) as a process,
 * bounded in calls and time, and reads its final statistics ({@code -trace_stat}).
 */
final class Sipp implements AutoCloseable {
    /** SIPp's own count of calls at the end of a run. */
    record Result(int exitCode, long successful, long failed, long retransmissions, String diagnosis) {
    }

    private final Process process;
    private final Path dir;
    private final Path stats;
    private final Path out;

    private Sipp(Process process, Path dir, Path stats, Path out) {
        this.process = process;
        this.dir = dir;
        this.stats = stats;
        this.out = out;
    }

    static Path scenario(String name) {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("bench/sipp").resolve(name);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("bench/sipp/" + name + " not found above " + dir);
    }

    /**
     * A test-only scenario of {@code src/test/resources/sipp}, with its {@code @NAME@} placeholders filled in,
     * written into {@code work}.
     */
    /**
     * SIPp's {@code -default_behaviors} that make a callee ignore a message its scenario does not expect instead of
     * aborting the call: an INVITE the proxy sent again (Timer A) that arrives after the callee's 200, which an RFC
     * 6026 UAS absorbs.
     */
    static final String IGNORE_UNEXPECTED = "all,-abortunexp";

    static Path testScenario(Path work, String name, java.util.Map<String, String> values) {
        try {
            String text = Files.readString(Path.of("src", "test", "resources", "sipp", name), StandardCharsets.ISO_8859_1);
            for (var e : values.entrySet()) {
                text = text.replace("@" + e.getKey() + "@", e.getValue());
            }
            String suffix = String.join("-", values.values()).replaceAll("[^A-Za-z0-9-]", "");
            return Files.writeString(work.resolve(name.replace(".xml", suffix.isEmpty() ? ".xml" : "-" + suffix + ".xml")),
                    text, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts SIPp in its own working directory under {@code work}. {@code remote} is null for a UAS.
     */
    static Sipp start(Path work, String name, String remote, Path scenario, int localPort, String... extra) {
        return startFrom("127.0.0.1", work, name, remote, scenario, localPort, extra);
    }

    /** As {@link #start}, from another local address (127.0.0.2 and up play other hosts). */
    static Sipp startFrom(String localIp, Path work, String name, String remote, Path scenario, int localPort,
                          String... extra) {
        try {
            Path dir = Files.createDirectories(work.resolve(name));
            Path stats = dir.resolve("stat.csv");
            Path out = dir.resolve("sipp.out");
            List<String> cmd = new ArrayList<>(List.of("sipp"));
            if (remote != null) {
                cmd.add(remote);
            }
            cmd.addAll(List.of("-sf", scenario.toString(), "-i", localIp, "-p", Integer.toString(localPort),
                    "-nostdin", "-trace_stat", "-stf", stats.toString(), "-fd", "1", "-trace_err",
                    "-timeout", "60s", "-timeout_error"));
            cmd.addAll(Arrays.asList(extra));
            if (scenario.getFileName().toString().startsWith("reg_") && !cmd.contains("-auth_uri")) {
                // SIPp's digest uri is remote_ip:remote_port unless told; the registrar wants the Request-URI
                // (RFC 3261 §22.4, RFC 2617 §3.2.2.5), which the reg_ scenarios write as sip:sip.test
                cmd.addAll(List.of("-auth_uri", TestFiles.DOMAIN));
            }
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            return new Sipp(p, dir, stats, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sipp (is sip-tester installed?)", e);
        }
    }

    /**
     * Calls a SIPp UAS started in {@code work/name} has taken so far, running or completed, from its statistics
     * file (0 before the first line): with the uac_call scenarios, each is an answered call once its ACK is in.
     */
    static long callsTaken(Path work, String name) {
        Path stat = work.resolve(name).resolve("stat.csv");
        try {
            if (!Files.exists(stat)) {
                return 0;
            }
            List<String> lines = Files.readAllLines(stat);
            if (lines.size() < 2) {
                return 0;
            }
            List<String> header = List.of(lines.get(0).split(";"));
            String[] last = lines.get(lines.size() - 1).split(";");
            return Long.parseLong(last[header.indexOf("CurrentCall")].trim())
                    + Long.parseLong(last[header.indexOf("SuccessfulCall(C)")].trim());
        } catch (IOException | RuntimeException e) {
            return 0; // a line being written: ask again
        }
    }

    /** Runs SIPp to the end (it stops after -m calls), bounded by the timeout. */
    static Result run(Path work, String name, String remote, Path scenario, int localPort, Duration timeout,
                      String... extra) {
        try (Sipp sipp = start(work, name, remote, scenario, localPort, extra)) {
            return sipp.await(timeout);
        }
    }

    Result await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("sipp did not finish within " + timeout.toSeconds() + " s: " + diagnosis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return result();
    }

    private Result result() {
        List<String> lines = read(stats).lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() < 2) {
            return new Result(process.exitValue(), 0, 0, 0, diagnosis());
        }
        List<String> header = Arrays.asList(lines.get(0).split(";"));
        String[] last = lines.get(lines.size() - 1).split(";");
        return new Result(process.exitValue(), column(header, last, "SuccessfulCall(C)"),
                column(header, last, "FailedCall(C)"), column(header, last, "Retransmissions(C)"), diagnosis());
    }

    private static long column(List<String> header, String[] row, String name) {
        int i = header.indexOf(name);
        return i < 0 || i >= row.length ? -1 : Long.parseLong(row[i].trim());
    }

    String diagnosis() {
        StringBuilder sb = new StringBuilder("\n--- sipp in ").append(dir).append(" ---\n");
        String o = read(out);
        sb.append(o, Math.max(0, o.length() - 3000), o.length());
        try (var files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith("_errors.log")).forEach(f -> {
                String e = read(f);
                sb.append("\n--- ").append(f.getFileName()).append(" ---\n").append(e, 0, Math.min(e.length(), 3000));
            });
        } catch (IOException e) {
            sb.append("(cannot list ").append(dir).append(")");
        }
        return sb.toString();
    }

    private static String read(Path f) {
        return Processes.read(f, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
