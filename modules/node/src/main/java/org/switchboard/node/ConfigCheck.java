package org.switchboard.node;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.node.config.ConfigPrinter;
import org.switchboard.node.config.ConfigSchema;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * {@code bin/switchboard --check-config}: the configuration loaded and checked as a start would (NodeConfig, then
 * NodeChecks), its {@code switchboard { }} tree printed with secrets masked and without the keys the node derives
 * for itself (a printed tree passes the check again); nothing started.
 */
final class ConfigCheck {
    private ConfigCheck() {
    }

    /** The exit code: 0 when the node would start with this configuration, 2 (each problem on {@code err}) if not. */
    static int run(CommandLine cli, PrintStream out, PrintStream err) {
        List<String> problems = new ArrayList<>();
        try {
            Config config = NodeConfig.load(cli);
            problems.addAll(NodeChecks.problems(config));
            out.print(ConfigPrinter.render(ConfigSchema.of(ConfigFactory.defaultReference()).withoutUnknownKeys(config)));
        } catch (StartupException e) {
            problems.addAll(e.problems());
        }
        out.flush();
        problems.forEach(p -> err.println("switchboard: " + p));
        err.flush();
        return problems.isEmpty() ? 0 : 2;
    }
}
