package org.switchboard.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code subscriber ...}: the accounts. The AOR is {@code user@domain}; a {@code sip:} prefix is accepted. */
@Command(name = "subscriber", description = "Add, show, change and remove subscribers; import and export them as CSV.",
        subcommands = {SubscriberCredentials.Add.class, SubscriberCommand.Show.class, SubscriberCredentials.Passwd.class,
            SubscriberCommand.Disable.class, SubscriberCommand.Enable.class, SubscriberCommand.Delete.class,
            SubscriberSettings.Forward.class, SubscriberSettings.Limits.class,
            SubscriberFiles.Import.class, SubscriberFiles.Export.class})
final class SubscriberCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subscriber command is required");
    }

    static String path(String aor) {
        return "/subscribers/" + NodeClient.segment(aor);
    }

    /** The account as key/value lines; used by show and by add (which answers with the account as stored). */
    static String describe(JsonNode s) {
        JsonNode forwarding = s.path("forwarding");
        JsonNode limits = s.path("limits");
        return Fields.of()
                .with("aor", Json.cell(s, "aor"))
                .with("username", Json.cell(s, "username"))
                .with("realm", Json.cell(s, "realm"))
                .with("enabled", Format.yesNo(s.path("enabled").asBoolean()))
                .with("sha-256", s.path("sha256").asBoolean() ? "yes (MD5 and SHA-256 digests)" : "no (MD5 digest only)")
                .with("bindings", Integer.toString(s.path("bindings").asInt()))
                .with("forwarding", SubscriberSettings.describeForwarding(forwarding))
                .with("limits", SubscriberSettings.describeLimits(limits))
                .render();
    }

    @Command(name = "show", description = "Show one subscriber (never its digests).")
    static final class Show extends NodeCommand {
        @Parameters(paramLabel = "AOR", description = "e.g. alice@example.com")
        String aor;

        @Override
        void execute() {
            String body = node().get(path(aor));
            if (json()) {
                printJson(body);
            } else {
                out().print(describe(Json.parse(body)));
            }
        }
    }

    @Command(name = "disable", description = "Disable a subscriber: its REGISTERs and calls get 403, calls to it 480 unless forwarded.")
    static final class Disable extends NodeCommand {
        @Parameters(paramLabel = "AOR")
        String aor;

        @Override
        void execute() {
            node().post(path(aor) + "/disable");
            confirm("disabled " + aor);
        }
    }

    @Command(name = "enable", description = "Enable a disabled subscriber again.")
    static final class Enable extends NodeCommand {
        @Parameters(paramLabel = "AOR")
        String aor;

        @Override
        void execute() {
            node().post(path(aor) + "/enable");
            confirm("enabled " + aor);
        }
    }

    @Command(name = "delete", description = "Delete a subscriber and drop its registrations.")
    static final class Delete extends NodeCommand {
        @Parameters(paramLabel = "AOR")
        String aor;

        @Override
        void execute() {
            node().delete(path(aor));
            confirm("deleted " + aor);
        }
    }
}
