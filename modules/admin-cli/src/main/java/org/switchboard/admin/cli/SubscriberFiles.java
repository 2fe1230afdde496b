package org.switchboard.admin.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code subscriber import} and {@code subscriber export}: CSV files, {@code -} for stdin or stdout. */
final class SubscriberFiles {
    private SubscriberFiles() {
    }

    @Command(name = "import", description = {"Create or update subscribers from a CSV file (- for stdin); idempotent.",
        "A header row names the columns, in any order: aor, and password or ha1 (+ ha1_sha256); optional username, realm, "
                + "enabled. A file written by export is accepted as is.",
        "Every line is applied on its own; the lines that failed are listed with their line numbers (the header is line 1) "
                + "and the exit code is 1 if any did."})
    static final class Import extends NodeCommand {
        @Parameters(paramLabel = "FILE")
        String file;

        @Override
        void execute() {
            String csv = read();
            String answer = node().postCsv("/subscribers/import", csv);
            JsonNode report = Json.parse(answer);
            int failed = report.path("failed").asInt();
            if (json()) {
                printJson(answer);
            } else {
                Table failures = Table.of("LINE", "AOR", "ERROR");
                for (JsonNode line : report.path("lines")) {
                    if ("failed".equals(line.path("result").asText())) {
                        failures = failures.row(Json.cell(line, "line"), Json.cell(line, "aor"), Json.cell(line, "error"));
                    }
                }
                if (!failures.isEmpty()) {
                    out().print(failures.render());
                }
                out().printf("created %d, updated %d, unchanged %d, failed %d%n", report.path("created").asInt(),
                        report.path("updated").asInt(), report.path("unchanged").asInt(), failed);
            }
            if (failed > 0) {
                out().flush();
                throw AdminException.refused(Format.plural(failed, "line", "lines") + " of " + file + " failed");
            }
        }

        private String read() {
            try {
                if (file.equals("-")) {
                    InputStream in = root().context().in();
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                return Files.readString(root().context().workDir().resolve(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw AdminException.usage("cannot read " + file + ": " + e.getClass().getSimpleName());
            }
        }
    }

    @Command(name = "export", description = {"Write every subscriber as CSV, with its digests, to FILE (- for stdout).",
        "Columns: aor,username,realm,ha1,ha1_sha256,enabled. The file holds credentials: it is created readable by its owner only."})
    static final class Export extends NodeCommand {
        @Parameters(paramLabel = "FILE")
        String file;

        @Override
        void execute() {
            String csv = node().get("/subscribers/export");
            if (file.equals("-")) {
                out().print(csv);
                return;
            }
            Path target = root().context().workDir().resolve(file);
            try {
                Secrets.writeOwnerOnly(target, csv);
            } catch (IOException e) {
                throw AdminException.usage("cannot write " + file + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()));
            }
            long rows = csv.lines().filter(l -> !l.isBlank()).count() - 1;
            confirm("exported " + Format.plural(Math.max(rows, 0), "subscriber", "subscribers") + " to " + file);
        }
    }
}
