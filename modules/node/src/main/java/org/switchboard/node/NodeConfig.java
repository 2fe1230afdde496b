package org.switchboard.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.switchboard.node.config.ConfigErrors;
import org.switchboard.node.config.ConfigSchema;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

/**
 * The node's effective configuration: command-line flags over the --config file over Switchboard's
 * Akka wiring (switchboard-akka.conf) over every library's reference.conf; JVM system properties (-D) over all.
 * Its {@code switchboard { }} tree is checked against reference.conf (ConfigSchema) before anything uses it: an
 * unknown key or a value of the wrong kind stops the node (exit 2) as it stops {@code --check-config}.
 */
public final class NodeConfig {
    private NodeConfig() {
    }

    public static Config load(CommandLine cli) throws StartupException {
        Config file = ConfigFactory.empty();
        if (cli.config().isPresent()) {
            Path path = cli.config().get();
            if (!Files.isReadable(path)) {
                throw new StartupException(2, "cannot read config file " + path);
            }
            try {
                file = ConfigFactory.parseFile(path.toFile());
            } catch (ConfigException e) {
                throw new StartupException(2, "config file " + path + " is not valid HOCON: " + ConfigErrors.describe(e));
            }
        }
        Map<String, Object> flags = new HashMap<>();
        cli.sipHost().ifPresent(h -> flags.put("switchboard.sip.host", h));
        cli.sipPort().ifPresent(p -> flags.put("switchboard.sip.port", p));
        cli.dataDir().ifPresent(d -> flags.put("switchboard.data-dir", d.toString()));
        cli.subscribers().ifPresent(s -> flags.put("switchboard.subscribers-file", s.toString()));
        Config layered = ConfigFactory.parseMap(flags, "command-line flags").withFallback(file);
        try {
            Config reference = ConfigFactory.defaultReference();
            Config withDefaults = ConfigFactory.defaultOverrides().withFallback(layered).withFallback(reference).resolve();
            List<String> problems = ConfigSchema.of(reference).problems(withDefaults);
            if (!problems.isEmpty()) {
                throw new StartupException(2, problems);
            }
            Config journal = journalDefaults(withDefaults);
            return ConfigFactory.load(journal.withFallback(layered)
                    .withFallback(ConfigFactory.parseResources("switchboard-akka.conf")));
        } catch (ConfigException e) {
            throw new StartupException(2, "configuration error: " + ConfigErrors.describe(e));
        }
    }

    /**
     * Derived settings: the H2 file under data-dir when no journal URL is given, the dialect's driver, the
     * management address (the cluster host unless set), and whether Akka Management loads the admin API and the
     * metrics.
     */
    private static Config journalDefaults(Config c) throws StartupException {
        String dialect = c.getString("switchboard.journal.dialect");
        Map<String, Object> derived = new HashMap<>();
        switch (dialect) {
            case "h2" -> {
                derived.put("switchboard.journal.driver", "org.h2.Driver");
                derived.put("switchboard.journal.slick-profile", "slick.jdbc.H2Profile$");
            }
            case "postgres" -> {
                derived.put("switchboard.journal.driver", "org.postgresql.Driver");
                derived.put("switchboard.journal.slick-profile", "slick.jdbc.PostgresProfile$");
            }
            default -> throw new StartupException(2, "switchboard.journal.dialect must be h2 or postgres, not " + dialect);
        }
        derived.put("switchboard.admin.effective-routes",
                c.getBoolean("switchboard.admin.enabled") ? "org.switchboard.node.admin.AdminRoutes" : "");
        derived.put("switchboard.metrics.effective-routes",
                c.getBoolean("switchboard.metrics.enabled") ? "org.switchboard.node.metrics.MetricsRoutes" : "");
        String managementHost = c.getString("switchboard.management.host");
        derived.put("switchboard.management.effective-host",
                managementHost.isEmpty() ? c.getString("switchboard.cluster.host") : managementHost);
        if (c.getString("switchboard.journal.url").isEmpty()) {
            if (!dialect.equals("h2")) {
                throw new StartupException(2, "switchboard.journal.url is required for " + dialect);
            }
            Path dir = Path.of(c.getString("switchboard.data-dir")).toAbsolutePath().normalize();
            // WRITE_DELAY=0: H2 otherwise keeps commits in memory for up to a second, and a process killed in that
            // second loses what was already acknowledged. DB_CLOSE_ON_EXIT=FALSE: H2's own hook would close the
            // database at the first signal, under a graceful stop that still persists its calls' last events and
            // reads them for the CDRs; it closes with the node's last connection instead
            derived.put("switchboard.journal.url", "jdbc:h2:file:" + dir.resolve("journal")
                    + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        } else if (dialect.equals("postgres")) {
            derived.put("switchboard.journal.url", withBatchedInserts(c.getString("switchboard.journal.url")));
        }
        return ConfigFactory.parseMap(derived);
    }

    /**
     * A PostgreSQL URL whose driver sends a batch of inserts (the journal's events of one write, the CDR writer's
     * records) as multi-row statements: the server parses, plans and runs one statement per batch rather than one
     * per row. A URL that sets the option itself keeps its own choice.
     */
    static String withBatchedInserts(String url) {
        if (url.toLowerCase(java.util.Locale.ROOT).contains("rewritebatchedinserts=")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }
}
