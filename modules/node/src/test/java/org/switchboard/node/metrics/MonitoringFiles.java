package org.switchboard.node.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Grafana dashboard and the Prometheus alert rules of {@code deploy/}, read as Grafana and Prometheus read them
 * (JSON, YAML), and the names of the node's metrics their queries use; and the names a scrape of the node shows.
 */
public final class MonitoringFiles {
    public static final String DASHBOARD = "deploy/grafana/switchboard-dashboard.json";
    public static final String ALERTS = "deploy/prometheus/switchboard-alerts.yaml";
    /** A metric of the node (not Prometheus' own {@code up}, nor a label or a function). */
    private static final Pattern NODE_METRIC = Pattern.compile("\\b(?:switchboard|jvm|process|system)_[a-zA-Z0-9_]+");

    private MonitoringFiles() {
    }

    /** Every PromQL expression of the dashboard: its panels' queries and its variables'. */
    public static List<String> dashboardQueries() {
        try {
            JsonNode dashboard = new ObjectMapper().readTree(Files.readString(root().resolve(DASHBOARD)));
            List<String> out = new java.util.ArrayList<>();
            dashboard.findValues("expr").forEach(e -> out.add(e.asText()));
            dashboard.findValues("definition").forEach(e -> out.add(e.asText()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The alert rules: name to expression. */
    @SuppressWarnings("unchecked")
    public static Map<String, String> alerts() {
        try {
            Map<String, Object> file = new Yaml().load(Files.readString(root().resolve(ALERTS)));
            Map<String, String> out = new java.util.TreeMap<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    out.put((String) rule.get("alert"), (String) rule.get("expr"));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node's metric names these expressions use. */
    public static Set<String> metricNames(Iterable<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions) {
            Matcher m = NODE_METRIC.matcher(expr);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** The names of the samples of a scrape in Prometheus' text format ({@code name{labels} value}). */
    public static Set<String> scraped(String text) {
        Set<String> names = new TreeSet<>();
        text.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    private static Path root() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(DASHBOARD))) {
                return d;
            }
        }
        throw new IllegalStateException(DASHBOARD + " not found above " + Path.of("").toAbsolutePath());
    }
}
