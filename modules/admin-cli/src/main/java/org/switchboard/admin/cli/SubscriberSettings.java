package org.switchboard.admin.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code subscriber forward} and {@code subscriber limits}: settings the node replaces as a whole. */
final class SubscriberSettings {
    private SubscriberSettings() {
    }

    static String describeForwarding(JsonNode f) {
        List<String> rules = new ArrayList<>();
        Json.text(f, "unconditional").ifPresent(u -> rules.add("always " + u));
        Json.text(f, "onBusy").ifPresent(u -> rules.add("busy " + u));
        Json.text(f, "onNoAnswer").ifPresent(u -> rules.add("no answer " + u
                + Json.text(f, "noAnswerSeconds").map(s -> " after " + s + " s").orElse("")));
        Json.text(f, "onUnavailable").ifPresent(u -> rules.add("unavailable " + u));
        return rules.isEmpty() ? "none" : String.join(", ", rules);
    }

    static String describeLimits(JsonNode l) {
        List<String> limits = new ArrayList<>();
        Json.text(l, "maxConcurrent").ifPresent(n -> limits.add("max concurrent " + ("0".equals(n) ? "unlimited" : n)));
        Json.text(l, "maxPerMinute").ifPresent(n -> limits.add("max per minute " + ("0".equals(n) ? "unlimited" : n)));
        return limits.isEmpty() ? "the cluster's defaults" : String.join(", ", limits);
    }

    /** The no-answer rule needs both its target and its delay. */
    static final class NoAnswer {
        @Option(names = "--no-answer", paramLabel = "URI", required = true, description = "forward when not answered in time")
        String uri;

        @Option(names = "--after", paramLabel = "SECONDS", required = true, description = "how long it rings first")
        int seconds;
    }

    @Command(name = "forward", description = {"Replace the subscriber's call forwarding rules.",
        "Rules not given are removed; with no option at all every rule is removed."})
    static final class Forward extends NodeCommand {
        @Parameters(paramLabel = "AOR")
        String aor;

        @Option(names = "--always", paramLabel = "URI", description = "forward every call (e.g. sip:bob@example.com)")
        Optional<String> always = Optional.empty();

        @Option(names = "--busy", paramLabel = "URI", description = "forward when the subscriber is busy")
        Optional<String> busy = Optional.empty();

        @ArgGroup(exclusive = false, multiplicity = "0..1")
        NoAnswer noAnswer;

        @Option(names = "--unavailable", paramLabel = "URI", description = "forward when the subscriber is not registered")
        Optional<String> unavailable = Optional.empty();

        @Override
        void execute() {
            ObjectNode body = Json.object();
            always.ifPresent(u -> body.put("unconditional", u));
            busy.ifPresent(u -> body.put("onBusy", u));
            if (noAnswer != null) {
                body.put("onNoAnswer", noAnswer.uri);
                body.put("noAnswerSeconds", noAnswer.seconds);
            }
            unavailable.ifPresent(u -> body.put("onUnavailable", u));
            node().put(SubscriberCommand.path(aor) + "/forwarding", body);
            confirm("forwarding of " + aor + ": " + describeForwarding(body));
        }
    }

    @Command(name = "limits", description = {"Replace the subscriber's own call limits (0 is unlimited).",
        "A limit not given follows the cluster's default; with no option both do."})
    static final class Limits extends NodeCommand {
        @Parameters(paramLabel = "AOR")
        String aor;

        @Option(names = "--max-concurrent", paramLabel = "N", description = "at most N calls at once")
        Optional<Integer> maxConcurrent = Optional.empty();

        @Option(names = "--max-per-minute", paramLabel = "N", description = "at most N new calls a minute")
        Optional<Integer> maxPerMinute = Optional.empty();

        @Override
        void execute() {
            ObjectNode body = Json.object();
            maxConcurrent.ifPresent(n -> body.put("maxConcurrent", n));
            maxPerMinute.ifPresent(n -> body.put("maxPerMinute", n));
            node().put(SubscriberCommand.path(aor) + "/limits", body);
            confirm("limits of " + aor + ": " + describeLimits(body));
        }
    }
}
