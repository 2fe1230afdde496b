package org.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every configuration the repository ships or writes passes {@code --check-config}: deploy/'s files, the Kubernetes
 * ConfigMap's, and the ones deploy/local-cluster and bench/ write from their shell scripts (read out of the scripts,
 * their variables filled in). The certificates they name do not exist on a test machine, so the only problems
 * allowed are files that cannot be read; an unknown key or a value of the wrong kind fails.
 */
class DeployConfigsTest {
    private static final Path ROOT = repositoryRoot();
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    /** Environment variables the files substitute, given as keys of the wrapper (HOCON looks there first). */
    private static final String ENVIRONMENT = """
            SWITCHBOARD_CLUSTER_SECRET = "%s"
            SWITCHBOARD_JOURNAL_PASSWORD = "journal-password"
            SWITCHBOARD_ADMIN_TOKEN = "an-admin-token-long-enough"
            POD_IP = "10.0.0.7"
            """.formatted(SECRET);
    /** The scripts' shell variables, as a run would set them; a variable not listed here fails the test. */
    private static final Map<String, String> SHELL = Map.ofEntries(
            Map.entry("role", "core"), Map.entry("host", "127.0.0.2"), Map.entry("name", "core-1"),
            Map.entry("PG_PORT", "5432"), Map.entry("DIR", "/nonexistent/local-cluster"),
            Map.entry("endpoints", "{ host = \"127.0.0.2\", port = 8558 }, "),
            Map.entry("TLS_DIR", "/nonexistent/bench-tls"), Map.entry("5", "5061"), Map.entry("d", "/nonexistent/bench"),
            Map.entry("SCALE_SECRET", SECRET), Map.entry("rport", "25522"), Map.entry("SCALE_N", "2"));

    @TempDir
    static Path work;

    static Stream<String> configs() throws IOException {
        List<String> names = new ArrayList<>(List.of("deploy/docker/switchboard.conf"));
        try (Stream<Path> examples = Files.list(ROOT.resolve("deploy/examples"))) {
            examples.filter(p -> p.toString().endsWith(".conf")).sorted()
                    .forEach(p -> names.add(ROOT.relativize(p).toString()));
        }
        names.addAll(List.of("deploy/kubernetes/configmap.yaml core.conf", "deploy/kubernetes/configmap.yaml transport.conf",
                "deploy/local-cluster", "bench/lib/common.sh start_switchboard", "bench/lib/scale.sh start_cluster_node"));
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void passesCheckConfig(String source) throws IOException, StartupException {
        Path file = extract(source);
        Path wrapper = Files.writeString(work.resolve(file.getFileName() + ".check.conf"),
                ENVIRONMENT + "include file(\"" + file + "\")\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ConfigCheck.run(CommandLine.parse("--check-config", "--config", wrapper.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        String problems = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("switchboard {"), source + ":\n" + problems);
        assertFalse(printed.contains(SECRET), printed);
        problems.lines().forEach(line -> assertTrue(namesAMissingFile(line), source + ": " + line));
    }

    /** The configuration {@code source} names, as a file: itself, or what a script or manifest would write. */
    private static Path extract(String source) throws IOException {
        String[] parts = source.split(" ");
        Path path = ROOT.resolve(parts[0]);
        if (source.endsWith(".conf") && parts.length == 1) {
            return path;
        }
        String text = Files.readString(path);
        if (parts[0].endsWith(".yaml")) {
            configMapEntries(text).forEach((name, content) -> write(work.resolve(name), content));
            return work.resolve(parts[1]);
        }
        String config = parts[0].equals("deploy/local-cluster") ? heredoc(text) : echoes(text, parts[1]);
        return write(work.resolve(path.getFileName() + ".conf"), shell(config));
    }

    /** The files of a ConfigMap's {@code data:}: each {@code name: |} block, indentation removed. */
    static Map<String, String> configMapEntries(String yaml) {
        Map<String, String> entries = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("(?m)^  ([\\w.-]+): \\|\\n((?:(?:    .*)?\\n)+)").matcher(yaml);
        while (m.find()) {
            entries.put(m.group(1), m.group(2).replaceAll("(?m)^    ", ""));
        }
        assertFalse(entries.isEmpty(), "no data entries found in the ConfigMap");
        return entries;
    }

    /** deploy/local-cluster's write_config: its here-document. */
    private static String heredoc(String script) {
        Matcher m = Pattern.compile("(?s)cat >\"\\$DIR/\\$name\\.conf\" <<-EOF\\n(.*?)\\n\\t*EOF\\n").matcher(script);
        assertTrue(m.find(), "write_config's here-document not found in deploy/local-cluster");
        return m.group(1).replaceAll("(?m)^\\t+", "");
    }

    /** The lines a bench function echoes into its config file ({@code { echo "..."; ... } >"$conf"}). */
    private static String echoes(String script, String function) {
        int start = script.indexOf(function + "() {");
        int end = script.indexOf("} >\"$conf\"", start);
        assertTrue(start >= 0 && end > start, function + "'s config block not found");
        StringBuilder config = new StringBuilder();
        Matcher m = Pattern.compile("echo \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(script.substring(start, end));
        while (m.find()) {
            String line = m.group(1).replace("\\\"", "\"");
            if (!line.matches("\\$\\{?\\w+\\}?")) { // "$SB_EXTRA_CONFIG": the caller's own lines
                config.append(line).append('\n');
            }
        }
        return config.toString();
    }

    /** Shell expansions filled in: arithmetic, command substitution (the cluster secret), variables. */
    private static String shell(String text) {
        String s = replace(text, "\\$\\(\\([^)]*\\)\\)", m -> "25521");
        s = replace(s, "\\$\\([^)]*\\)", m -> SECRET);
        s = replace(s, "\\$\\{(\\w+)[^}]*\\}", m -> variable(m.group(1)));
        return replace(s, "\\$(\\w+)", m -> variable(m.group(1)));
    }

    private static String variable(String name) {
        String value = SHELL.get(name);
        assertTrue(value != null, "shell variable $" + name + " has no value in DeployConfigsTest.SHELL");
        // ${endpoints%, } drops the last ", "
        return name.equals("endpoints") ? value.substring(0, value.length() - 2) : value;
    }

    private static String replace(String text, String regex, Function<MatchResult, String> value) {
        return Pattern.compile(regex).matcher(text).replaceAll(m -> Matcher.quoteReplacement(value.apply(m)));
    }

    /** A problem the test machine causes, not the configuration: it names an absolute path that does not exist. */
    private static boolean namesAMissingFile(String line) {
        Matcher m = Pattern.compile("(/[\\w./-]+)").matcher(line);
        while (m.find()) {
            if (!Files.exists(Path.of(m.group(1)))) {
                return true;
            }
        }
        return false;
    }

    private static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("deploy/examples"))) {
                return d;
            }
        }
        throw new IllegalStateException("deploy/examples not found above " + Path.of("").toAbsolutePath());
    }
}
