package org.switchboard.admin.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that asks the node something: the node, the output stream and {@code --json} from the root command. */
abstract class NodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    AdminCli root() {
        return (AdminCli) spec.root().userObject();
    }

    NodeClient node() {
        return root().node();
    }

    boolean json() {
        return root().json;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The node's JSON answer indented, for {@code --json}. */
    void printJson(String body) {
        if (!body.isBlank()) {
            out().println(Json.pretty(body));
        }
    }

    /** A one-line confirmation of a change the node answered 204 to; nothing with {@code --json} (there is no JSON). */
    void confirm(String line) {
        if (!json()) {
            out().println(line);
        }
    }

    @Override
    public final Integer call() {
        execute();
        out().flush();
        return 0;
    }

    abstract void execute();
}
