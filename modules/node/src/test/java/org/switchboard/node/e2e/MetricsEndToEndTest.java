package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.node.metrics.MonitoringFiles;

/**
 * {@code GET /metrics} of a node in its own JVM, over real HTTP and without the admin token, after SIPp registered
 * phones and made calls through it: the counts are SIPp's. Requests a SIPp retransmitted reach the node twice and
 * are counted twice, so each count is compared with SIPp's own: what it sent, its retransmissions included.
 */
class MetricsEndToEndTest {
    private static final Duration SIPP = Duration.ofSeconds(60);
    private static final int USERS = 10;
    private static final int CALLS = 10;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @RegisterExtension
    static final SingleNode node = SingleNode.of("metrics", users(), List.of(
            "switchboard.proxy.authenticate-callers = off",
            // a busy test machine is not what is tested here: no 503 for a slow dispatcher (the journal's samples
            // still reach the metrics with overload protection off)
            "switchboard.security.overload.enabled = off",
            // the cluster's figures refreshed often enough for a test to wait on them
            "switchboard.metrics.refresh-interval = 1s",
            "switchboard.metrics.bindings-interval = 1s"));

    private static List<String> users() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            lines.add("mu" + i + "@sip.test,pw" + i);
        }
        return lines;
    }

    /** One scrape: every sample by its name and labels. */
    record Scrape(String contentType, String text, List<Sample> samples) {
        /** The sum of the samples named {@code name} whose labels include {@code labels}. */
        double sum(String name, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(name)
                    && s.labels().entrySet().containsAll(labels.entrySet())).mapToDouble(Sample::value).sum();
        }

        double value(String name) {
            return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " is not exported"));
        }
    }

    record Sample(String name, Map<String, String> labels, double value) {
    }

    @Test
    void afterSippRegistrationsAndCallsTheScrapeShowsWhatSippDid() {
        Scrape before = scrape();
        assertTrue(before.contentType().startsWith("text/plain") && before.contentType().contains("version=0.0.4"),
                before.contentType());

        // every user registers (REGISTER, 401, REGISTER with credentials, 200) from one port, where the callee listens
        int phones = FreePorts.udpAndTcp();
        List<String[]> credentials = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            credentials.add(new String[] {"mu" + i, "pw" + i});
        }
        Path csv = TestFiles.registerCsv(node.work(), "metrics-users.csv", credentials);
        Sipp.Result reg = Sipp.run(node.work(), "metrics-register", node.address(), Sipp.scenario("reg_auth.xml"),
                phones, SIPP, "-inf", csv.toString(), "-m", Integer.toString(USERS), "-r", "20");
        assertEquals(USERS, reg.successful(), reg.diagnosis());

        // calls to mu0, answered by SIPp on the phones' port: INVITE/100/180/200/ACK, 1 s, BYE/200
        Path callees = TestFiles.write(node.work().resolve("metrics-callee.csv"), List.of("SEQUENTIAL", "mu0;sip.test"));
        Sipp.Result uac;
        Sipp.Result uas;
        try (Sipp callee = Sipp.start(node.work(), "metrics-uas", null, Sipp.scenario("uas_call.xml"), phones,
                "-m", Integer.toString(CALLS))) {
            uac = Sipp.run(node.work(), "metrics-uac", node.address(), Sipp.scenario("uac_call.xml"),
                    FreePorts.udpAndTcp(), SIPP, "-inf", callees.toString(), "-m", Integer.toString(CALLS), "-r", "5");
            uas = callee.await(SIPP);
        }
        assertEquals(CALLS, uac.successful(), uac.diagnosis() + node.process().tail());
        assertEquals(CALLS, uas.successful(), uas.diagnosis());

        // the gauges are refreshed every second: the calls have ended and the bindings are counted
        Scrape[] last = {scrape()};
        Await.until("calls_active back to 0 and the bindings counted", Duration.ofSeconds(20), () -> {
            last[0] = scrape();
            return last[0].value("switchboard_calls_active") == 0
                    && last[0].value("switchboard_registrations_bindings") == USERS;
        }, () -> last[0].text() + node.process().tail());
        Scrape after = last[0];
        Counts counts = new Counts(before, after);

        // REGISTER: two requests per registration, one 401 and one 200 each, plus what SIPp retransmitted
        long regRetrans = reg.retransmissions();
        assertEquals(2 * USERS + regRetrans, counts.requests("REGISTER"), "REGISTERs received" + reg.diagnosis());
        assertEquals(2 * USERS + regRetrans, counts.requests("REGISTER", "udp"), "all over UDP");
        assertBetween(USERS, USERS + regRetrans, counts.responses("REGISTER", "4xx"), "401s sent");
        assertBetween(USERS, USERS + regRetrans, counts.responses("REGISTER", "2xx"), "200s to REGISTER sent");
        assertTrue(counts.delta("switchboard_register_duration_seconds_count", Map.of()) >= 2 * USERS,
                "every REGISTER transaction timed: " + counts.delta("switchboard_register_duration_seconds_count", Map.of()));

        // calls: the caller's INVITE, ACK and BYE are received; the node sends the callee's 200s (INVITE, BYE) back
        long callerRetrans = uac.retransmissions();
        long calleeRetrans = uas.retransmissions();
        assertBetween(CALLS, CALLS + callerRetrans, counts.requests("INVITE"), "INVITEs received" + uac.diagnosis());
        assertEquals(CALLS, counts.requests("ACK"), "ACKs received (SIPp never retransmits one)");
        assertBetween(CALLS, CALLS + callerRetrans, counts.requests("BYE"), "BYEs received");
        assertBetween(CALLS, CALLS + calleeRetrans + callerRetrans, counts.responses("INVITE", "2xx"),
                "200s to INVITE relayed" + uas.diagnosis());
        assertBetween(CALLS, CALLS + callerRetrans, counts.responses("BYE", "2xx"), "calls completed: 200s to BYE");
        assertEquals(0, counts.responses("INVITE", "4xx") + counts.responses("INVITE", "5xx")
                + counts.responses("INVITE", "6xx"), "no call failed");
        assertEquals(CALLS, counts.delta("switchboard_call_setup_seconds_count", Map.of("outcome", "answered")),
                "one setup time per call");
        assertEquals(0, counts.delta("switchboard_call_setup_seconds_count", Map.of("outcome", "failed")));
        assertEquals(CALLS, counts.delta("switchboard_call_setup_seconds_bucket",
                Map.of("outcome", "answered", "le", "+Inf")), "the histogram's buckets hold every setup");

        // the cluster's figures
        assertEquals(0, after.value("switchboard_calls_active"));
        assertEquals(USERS, after.value("switchboard_registrations_bindings"));
        assertEquals(USERS, after.value("switchboard_registrations_registered"));
        assertEquals(1, after.sum("switchboard_cluster_members", Map.of("status", "up")));
        assertEquals(0, after.value("switchboard_cluster_unreachable_members"));
        assertTrue(after.sum("switchboard_sharding_entities", Map.of("type", "Registration")) >= USERS);
        assertTrue(after.sum("switchboard_sharding_shards", Map.of("type", "Call")) > 0);
        assertEquals(1, after.value("switchboard_node_serving"));
        // the edge: nothing dropped (127.0.0.1 is a trusted peer of test nodes), the journal wrote and never failed
        assertEquals(0, after.sum("switchboard_edge_dropped_total", Map.of()), "dropped: " + after.text());
        assertTrue(counts.delta("switchboard_edge_received_total", Map.of()) >= 2 * USERS + 3 * CALLS);
        assertTrue(counts.delta("switchboard_journal_write_seconds_count", Map.of()) >= USERS + CALLS,
                "the writes a response waits for: a binding per user, an answer per call");
        assertEquals(0, after.value("switchboard_journal_failures_total"));
        double events = counts.delta("switchboard_journal_events_total", Map.of());
        double commits = counts.delta("switchboard_journal_commits_total", Map.of());
        assertTrue(events >= USERS + 2 * CALLS, "events written: a binding per user, an answer and an end per call: "
                + events);
        assertTrue(commits > 0 && commits <= events, commits + " journal writes for " + events + " events");
        assertTrue(after.sum("jvm_memory_used_bytes", Map.of("area", "heap")) > 0);

        // what the dashboard and the alert rules of deploy/ query, this node exports
        Set<String> exported = MonitoringFiles.scraped(after.text());
        Set<String> used = new TreeSet<>(MonitoringFiles.metricNames(MonitoringFiles.dashboardQueries()));
        used.addAll(MonitoringFiles.metricNames(MonitoringFiles.alerts().values()));
        used.removeAll(exported);
        assertEquals(Set.of(), used, "queried by deploy/ but not exported by the node");
    }

    @Test
    void theMetricsNeedNoTokenButTheAdminApiStillDoes() {
        assertEquals(200, get("/metrics").statusCode());
        assertEquals(401, get("/admin/v1/cluster").statusCode());
    }

    /** What changed between two scrapes. */
    private record Counts(Scrape before, Scrape after) {
        double delta(String name, Map<String, String> labels) {
            return after.sum(name, labels) - before.sum(name, labels);
        }

        long requests(String method) {
            return (long) delta("switchboard_sip_requests_total", Map.of("method", method));
        }

        long requests(String method, String transport) {
            return (long) delta("switchboard_sip_requests_total", Map.of("method", method, "transport", transport));
        }

        long responses(String method, String cls) {
            return (long) delta("switchboard_sip_responses_total", Map.of("method", method, "class", cls));
        }
    }

    private static void assertBetween(long low, long high, long actual, String what) {
        assertTrue(actual >= low && actual <= high, what + ": " + actual + " not in [" + low + ", " + high + "]");
    }

    private static Scrape scrape() {
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode(), r.body());
        List<Sample> samples = new ArrayList<>();
        for (String line : r.body().lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
            Map<String, String> labels = new HashMap<>();
            if (brace >= 0 && brace < space) {
                Matcher m = LABEL.matcher(line.substring(brace, line.lastIndexOf('}')));
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
            }
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return new Scrape(r.headers().firstValue("Content-Type").orElse(""), r.body(), samples);
    }

    /** A GET on the management port, without any Authorization header. */
    private static HttpResponse<String> get(String path) {
        try {
            String base = Files.readString(node.work().resolve("data/management-url")).strip();
            return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
