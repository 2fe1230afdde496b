package org.switchboard.admin.cli;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code registrations [AOR [--remove [CONTACT]]]}: the counts, one AOR's bindings, or removing them. */
@Command(name = "registrations", description = {"Registration counts, or one AOR's live bindings (--remove drops them).",
    "Without AOR: how many subscribers exist and are registered, and the live bindings, cluster-wide.",
    "With AOR: its live bindings. With --remove: drop one binding (a contact URI or +sip.instance) or, without CONTACT, all of them."})
final class RegistrationsCommand extends NodeCommand {
    @Parameters(paramLabel = "AOR", arity = "0..1", description = "e.g. alice@example.com")
    Optional<String> aor = Optional.empty();

    @Option(names = "--remove", paramLabel = "CONTACT", arity = "0..1", fallbackValue = "",
            description = "remove the binding of CONTACT, or all bindings of AOR")
    Optional<String> remove = Optional.empty();

    @Override
    void execute() {
        if (aor.isEmpty()) {
            if (remove.isPresent()) {
                throw new ParameterException(spec.commandLine(), "--remove needs the AOR: registrations AOR --remove [CONTACT]");
            }
            counts();
        } else if (remove.isPresent()) {
            remove(aor.get(), remove.get());
        } else {
            bindings(aor.get());
        }
    }

    private void counts() {
        String body = node().get("/registrations");
        if (json()) {
            printJson(body);
            return;
        }
        JsonNode counts = Json.parse(body);
        out().print(Fields.of()
                .with("subscribers", Json.cell(counts, "subscribers"))
                .with("registered", Json.cell(counts, "registered"))
                .with("bindings", Json.cell(counts, "bindings"))
                .render());
    }

    private void bindings(String aor) {
        String body = node().get(path(aor));
        if (json()) {
            printJson(body);
            return;
        }
        JsonNode registrations = Json.parse(body);
        JsonNode bindings = registrations.path("bindings");
        out().println(Json.text(registrations, "aor").orElse(aor) + "  " + Json.cell(registrations, "status") + "  "
                + Format.plural(bindings.size(), "binding", "bindings"));
        if (bindings.size() == 0) {
            return;
        }
        Table table = Table.of("CONTACT", "Q", "EXPIRES", "TRANSPORT", "SOURCE", "NODE", "USER-AGENT");
        for (JsonNode b : bindings) {
            table = table.row(Json.cell(b, "contact"), Json.cell(b, "q"), Format.duration(b.path("expires").asLong(-1)),
                    Json.cell(b, "transport"), Json.cell(b, "source"), Json.cell(b, "transportNode"),
                    Json.cell(b, "userAgent"));
        }
        out().print(table.render());
    }

    private void remove(String aor, String contact) {
        String query = contact.isEmpty() ? "" : "?contact=" + NodeClient.segment(contact);
        node().delete(path(aor) + query);
        confirm(contact.isEmpty() ? "removed every binding of " + aor : "removed the binding " + contact + " of " + aor);
    }

    private static String path(String aor) {
        return "/registrations/" + NodeClient.segment(aor);
    }
}
