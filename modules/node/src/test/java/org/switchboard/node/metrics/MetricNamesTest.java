package org.switchboard.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.node.e2e.Await;
import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.overload.Overload;

import com.typesafe.config.ConfigFactory;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The dashboard and the alert rules of {@code deploy/} use only metrics the node exports: every meter a node binds,
 * bound here as {@link NodeMetrics} binds them, then scraped. A metric renamed without its dashboard or alerts fails
 * the build here (MetricsEndToEndTest checks the same against a real node's scrape).
 */
class MetricNamesTest {
    private static final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private static AutoCloseable jvm;
    private static Set<String> exported;

    @BeforeAll
    static void bindEverything() throws Exception {
        jvm = NodeMetrics.jvm(registry, "0.0.0", "test");
        NodeMetrics node = new NodeMetrics(registry, ConfigFactory.parseString("bindings-interval = 30s"));
        node.edge(new EdgeCounters());
        node.node(() -> true, Overload.NEVER);
        node.clusterGauges(List.of("Registration", "Call"), true);
        // jvm_gc_pause_seconds appears with the first collection the JVM reports
        // the GC's notification is delivered on another thread
        Await.until("a GC reported", Duration.ofSeconds(20), () -> {
            if (registry.find("jvm.gc.pause").timer() != null) {
                return true;
            }
            System.gc();
            return false;
        }, () -> "no jvm.gc.pause timer");
        exported = MonitoringFiles.scraped(registry.scrape());
    }

    @AfterAll
    static void stop() throws Exception {
        jvm.close();
    }

    @Test
    void theDashboardUsesOnlyExportedMetrics() {
        Set<String> used = MonitoringFiles.metricNames(MonitoringFiles.dashboardQueries());
        assertTrue(used.size() >= 15, "the dashboard's queries name the node's metrics: " + used);
        assertEquals(Set.of(), missing(used), "not exported: " + missing(used) + " (exported: " + exported + ")");
    }

    @Test
    void theAlertRulesUseOnlyExportedMetricsAndCoverWhatOperatorsNeed() {
        var alerts = MonitoringFiles.alerts();
        for (String name : List.of("SwitchboardNodeDown", "SwitchboardMembersUnreachable", "SwitchboardJournalSlow",
                "SwitchboardHigh5xxRatio", "SwitchboardRegistrationDrop")) {
            assertTrue(alerts.containsKey(name), "an alert " + name + " in " + MonitoringFiles.ALERTS);
        }
        assertTrue(alerts.get("SwitchboardNodeDown").contains("up{job=\"switchboard\"}"), alerts.toString());
        Set<String> used = MonitoringFiles.metricNames(alerts.values());
        assertEquals(Set.of(), missing(used), "not exported: " + missing(used));
    }

    @Test
    void theMetricsTheIssueNamesAreExported() {
        for (String name : List.of("switchboard_sip_requests_total", "switchboard_sip_responses_total",
                "switchboard_call_setup_seconds_bucket", "switchboard_register_duration_seconds_bucket",
                "switchboard_edge_dropped_total", "switchboard_calls_active", "switchboard_registrations_bindings",
                "switchboard_journal_write_seconds_bucket", "switchboard_journal_failures_total",
                "switchboard_sharding_shards", "switchboard_sharding_entities", "jvm_memory_used_bytes",
                "jvm_gc_pause_seconds_count", "jvm_threads_live_threads", "process_cpu_usage",
                "process_uptime_seconds")) {
            assertTrue(exported.contains(name), name + " in " + exported);
        }
    }

    private static Set<String> missing(Set<String> used) {
        Set<String> out = new TreeSet<>(used);
        out.removeAll(exported);
        return out;
    }
}
