package org.switchboard.node;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.node.logging.LogShutdown;

import com.typesafe.config.Config;

/**
 * {@code bin/switchboard}: starts one node, or with --check-config checks its configuration, --version and --help
 * print and exit 0. Exit code 2 with one line on stderr per problem for a usage, configuration or environment fault
 * (bad flag, unknown configuration key, unreadable file, port in use), 1 for a failure during start-up. SIGTERM runs
 * Akka's coordinated shutdown (SIP listeners closed, shards handed over) through the JVM's shutdown hook; the log
 * lines still queued are written out once the node has stopped ({@link LogShutdown}).
 */
public final class Main {
    static {
        CommonPool.atLeastTwoWorkers(); // before anything (logging included) can start the common pool
    }

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    /** Bounds the wait of the JVM's exit for the node's own stop before the last log lines are written (the stop
     * time the deployments give a node: systemd's TimeoutStopSec, Kubernetes' terminationGracePeriodSeconds). */
    private static final Duration LOG_WAITS_FOR_STOP = Duration.ofSeconds(60);

    /** How long the last log lines may hold up any other exit (see LogShutdown). */
    private static final Duration LOG_WAITS_SHORT = Duration.ofSeconds(2);

    /** Whether nothing is left to log: the node's stop is over (SwitchboardNode.stopOver), or there never was one. */
    private static volatile BooleanSupplier stopped = () -> false;
    /**
     * Whether the JVM's exit is to wait for the node's graceful stop: not before the node has started (a SIGTERM
     * during the start ends it at once), nor once it stops on its own (Akka then exits when it is done).
     */
    private static volatile BooleanSupplier gracefulStopAhead = () -> false;

    public static void main(String[] args) {
        LogShutdown.whenStopped(() -> stopped.getAsBoolean(), () -> gracefulStopAhead.getAsBoolean(), LOG_WAITS_FOR_STOP,
                LOG_WAITS_SHORT);
        SwitchboardNode node;
        try {
            CommandLine cli = CommandLine.parse(args);
            switch (cli.mode()) {
                case HELP -> {
                    System.out.println(CommandLine.USAGE);
                    stopped = () -> true;
                    return;
                }
                case VERSION -> {
                    System.out.println(Version.current().line());
                    stopped = () -> true;
                    return;
                }
                case CHECK_CONFIG -> {
                    int code = ConfigCheck.run(cli, System.out, System.err);
                    stopped = () -> true;
                    System.exit(code);
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
            stopped = () -> true;
            System.exit(e.exitCode());
            return;
        } catch (RuntimeException | Error e) {
            stopped = () -> true; // nothing waits for a node that never started
            throw e;
        }
        SwitchboardNode started = node;
        gracefulStopAhead = () -> !started.stoppingOnItsOwn();
        stopped = node::stopOver;
        node.whenTerminated().toCompletableFuture().join();
    }
}
