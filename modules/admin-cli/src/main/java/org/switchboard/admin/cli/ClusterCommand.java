package org.switchboard.admin.cli;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;

/** {@code cluster}: members, shards and entities per node, and whether the journal answers. */
@Command(name = "cluster", description = "Show the cluster's members, the shards and entities on each node, and the journal's health.")
final class ClusterCommand extends NodeCommand {

    @Override
    void execute() {
        String body = node().get("/cluster");
        if (json()) {
            printJson(body);
            return;
        }
        JsonNode cluster = Json.parse(body);
        List<String> unreachable = new ArrayList<>();
        cluster.path("unreachable").forEach(u -> unreachable.add(u.asText()));
        out().print(Fields.of()
                .with("asked", Json.cell(cluster, "self"))
                .with("journal", journal(cluster.path("journal")))
                .with("unreachable", unreachable.isEmpty() ? "none" : String.join(", ", unreachable))
                .render());

        out().println();
        Table members = Table.of("MEMBER", "STATUS", "ROLES");
        for (JsonNode m : cluster.path("members")) {
            List<String> roles = new ArrayList<>();
            m.path("roles").forEach(r -> roles.add(r.asText()));
            members = members.row(Json.cell(m, "address"), Json.cell(m, "status"), String.join(",", roles));
        }
        out().print(members.render());

        out().println();
        Table regions = Table.of("ENTITY", "NODE", "SHARDS", "ENTITIES");
        for (JsonNode r : cluster.path("regions")) {
            regions = regions.row(Json.cell(r, "type"), Json.cell(r, "node"), Json.cell(r, "shards"), Json.cell(r, "entities"));
        }
        out().print(regions.isEmpty() ? "no shards allocated\n" : regions.render());
    }

    private static String journal(JsonNode journal) {
        if (journal.path("healthy").asBoolean()) {
            return "healthy" + Json.text(journal, "latencyMs").map(ms -> " (" + ms + " ms round trip)").orElse("");
        }
        return "NOT HEALTHY" + Json.text(journal, "error").map(e -> ": " + e).orElse("");
    }
}
