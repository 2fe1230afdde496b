package org.switchboard.admin.cli;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code calls [--watch [--count N]]}: the calls that are up, oldest first. */
@Command(name = "calls", description = {"List the calls that are up (answered and not ended), oldest first.",
    "--watch redraws the list every 2 s until Ctrl-C."})
final class CallsCommand extends NodeCommand {
    static final long WATCH_INTERVAL_MILLIS = 2000;
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Option(names = "--watch", description = "redraw every 2 s until Ctrl-C")
    boolean watch;

    @Option(names = "--count", paramLabel = "N", description = "with --watch: stop after N rounds")
    Optional<Integer> count = Optional.empty();

    @Override
    void execute() {
        if (count.isPresent() && (!watch || count.get() < 1)) {
            throw new ParameterException(spec.commandLine(), "--count N (N >= 1) goes with --watch");
        }
        if (!watch) {
            show(node().get("/calls"));
            return;
        }
        watch(node(), count.orElse(Integer.MAX_VALUE));
    }

    /**
     * One round per interval; a failed round (a node restarting) is reported and the watch goes on, so an
     * operator's screen survives a rolling restart. With --count, the last round's failure is the exit code.
     */
    private void watch(NodeClient node, int rounds) {
        boolean terminal = root().context().terminal();
        for (int round = 1; round <= rounds; round++) {
            if (terminal) {
                out().print(CLEAR_SCREEN);
            } else if (round > 1) {
                out().println();
            }
            if (!json()) {
                // with --json the output stays a stream of JSON documents, one a round
                out().println("calls at " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_LOCAL_TIME)
                        + " from " + node.target().url() + " (every 2 s, Ctrl-C to stop)");
            }
            try {
                show(node.get("/calls"));
            } catch (AdminException e) {
                if (round == rounds) {
                    throw e;
                }
                out().println("switchboard-admin: " + e.getMessage());
            }
            out().flush();
            if (round < rounds) {
                pause();
            }
        }
    }

    private void show(String body) {
        if (json()) {
            printJson(body);
            return;
        }
        JsonNode answer = Json.parse(body);
        JsonNode calls = answer.path("calls");
        if (answer.path("partial").asBoolean()) {
            // a node that has just started is still reading the calls from the journal
            out().println("the list may be incomplete: the node is still catching up with the journal");
        }
        if (calls.size() == 0) {
            out().println("no calls up");
            return;
        }
        Table table = Table.of("CALL-ID", "FROM", "TO", "AGE", "NODE");
        for (JsonNode c : calls) {
            table = table.row(Json.cell(c, "callId"), Json.cell(c, "from"), Json.cell(c, "to"),
                    Format.duration(c.path("age").asLong(-1)), Json.cell(c, "node"));
        }
        out().print(table.render());
        out().println(Format.plural(calls.size(), "call", "calls") + " up");
    }

    private static void pause() {
        try {
            Thread.sleep(WATCH_INTERVAL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AdminException.refused("interrupted");
        }
    }
}
