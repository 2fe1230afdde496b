package org.switchboard.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code call CALL-ID}: one call and its dialog. */
@Command(name = "call", description = "Show one call and its dialog.")
final class CallCommand extends NodeCommand {
    @Parameters(paramLabel = "CALL-ID", description = "the call's Call-ID, as `calls` lists it")
    String callId;

    @Override
    void execute() {
        String body = node().get("/calls/" + NodeClient.segment(callId));
        if (json()) {
            printJson(body);
            return;
        }
        JsonNode c = Json.parse(body);
        out().print(Fields.of()
                .with("call-id", Json.cell(c, "callId"))
                .with("from", Json.cell(c, "from"))
                .with("to", Json.cell(c, "to"))
                .with("state", Json.cell(c, "state"))
                .with("node", Json.cell(c, "node"))
                .with("answered at", Json.cell(c, "answeredAt"))
                .with("age", Format.duration(c.path("age").asLong(-1)))
                .with("caller", Json.text(c, "caller"))
                .with("callee", Json.text(c, "callee"))
                .with("session expires", Json.text(c, "sessionExpires").map(s -> "in " + Format.duration(Long.parseLong(s))))
                .with("ended at", Json.text(c, "endedAt"))
                .with("end cause", Json.text(c, "endCause"))
                .render());
    }
}
