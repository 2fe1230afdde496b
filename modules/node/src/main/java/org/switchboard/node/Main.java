package org.switchboard.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;

/**
 * {@code bin/switchboard}: starts one node. Exit code 2 with one line on stderr for a usage or environment fault
 * (bad flag, unreadable file, port in use), 1 for a failure during start-up. SIGTERM runs Akka's coordinated
 * shutdown (SIP listeners closed, shards handed over) through the JVM's shutdown hook.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        SwitchboardNode node;
        try {
            Config config = NodeConfig.load(CommandLine.parse(args));
            node = SwitchboardNode.start(config);
        } catch (StartupException e) {
            if (e.exitCode() != 2) {
                log.error("start-up failed", e);
            }
            System.err.println("switchboard: " + e.getMessage());
            System.exit(e.exitCode());
            return;
        }
        node.whenTerminated().toCompletableFuture().join();
    }
}
