package org.switchboard.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;

/**
 * {@code bin/switchboard}: starts one node, or with --check-config checks its configuration, --version and --help
 * print and exit 0. Exit code 2 with one line on stderr per problem for a usage, configuration or environment fault
 * (bad flag, unknown configuration key, unreadable file, port in use), 1 for a failure during start-up. SIGTERM runs
 * Akka's coordinated shutdown (SIP listeners closed, shards handed over) through the JVM's shutdown hook.
 */
public final class Main {
    static {
        CommonPool.atLeastTwoWorkers(); // before anything (logging included) can start the common pool
    }

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        SwitchboardNode node;
        try {
            CommandLine cli = CommandLine.parse(args);
            switch (cli.mode()) {
                case HELP -> {
                    System.out.println(CommandLine.USAGE);
                    return;
                }
                case VERSION -> {
                    System.out.println(Version.current().line());
                    return;
                }
                case CHECK_CONFIG -> {
                    System.exit(ConfigCheck.run(cli, System.out, System.err));
                    return;
                }
                case RUN -> {
                    // below
                }
                default -> throw new IllegalStateException(cli.mode().name());
            }
            Config config = NodeConfig.load(cli);
            LogFormat.apply(config.getString("switchboard.logging.format"));
            if (!CommonPool.pooled()) {
                log.warn("the JDK's common pool has one worker: every asynchronous completion starts a thread (set -D{}=2)",
                        CommonPool.PARALLELISM);
            }
            node = SwitchboardNode.start(config);
        } catch (StartupException e) {
            if (e.exitCode() != 2) {
                log.error("start-up failed", e);
            }
            e.problems().forEach(p -> System.err.println("switchboard: " + p));
            System.exit(e.exitCode());
            return;
        }
        node.whenTerminated().toCompletableFuture().join();
    }
}
