package org.switchboard.admin.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code cdrs --from T --to T [--out FILE]}: a period's call detail records as CSV, streamed from the node. */
@Command(name = "cdrs", description = {"Write the call detail records of a period as CSV (RFC 4180, a header line) to "
        + "stdout or --out FILE.",
    "A call is in the period when its INVITE arrived (else its answer, else its end) at or after --from and before --to.",
    "Columns: call_id,leg,caller,callee,request_uri,answered_contact,start,answer,end,duration_s,disposition,"
            + "sip_status,hangup_side,cause,transferred_to,node.",
    "Example: switchboard-admin cdrs --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z --out cdrs-2026-12-01.csv"})
final class CdrsCommand extends NodeCommand {
    @Option(names = "--from", required = true, paramLabel = "TIME", description = "ISO-8601 with a zone: 2026-12-01T00:00:00Z")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TIME", description = "ISO-8601 with a zone, after --from")
    String to;

    @Option(names = "--out", paramLabel = "FILE", description = "write here (replaced once complete) instead of stdout")
    Optional<Path> file = Optional.empty();

    @Override
    void execute() {
        check("--from", from);
        check("--to", to);
        String path = "/cdrs?from=" + NodeClient.segment(from) + "&to=" + NodeClient.segment(to);
        if (file.isEmpty()) {
            // the CSV goes out as the node sends it, whatever its size
            node().download(path, body -> new InputStreamReader(body, StandardCharsets.UTF_8).transferTo(out()));
            return;
        }
        Path target = root().context().workDir().resolve(file.get());
        long[] lines = {0};
        try {
            Path partial = Files.createTempFile(target.toAbsolutePath().getParent(), ".cdrs", ".part");
            try {
                node().download(path, body -> {
                    try (OutputStream out = Files.newOutputStream(partial)) {
                        lines[0] = copyCountingLines(body, out);
                    }
                });
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            throw AdminException.usage("cannot write " + file.get() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        confirm("wrote " + Format.plural(Math.max(lines[0] - 1, 0), "CDR", "CDRs") + " to " + file.get());
    }

    private void check(String option, String value) {
        try {
            OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), option + " " + value
                    + ": not an ISO-8601 time with a zone (2026-12-01T00:00:00Z)");
        }
    }

    private static long copyCountingLines(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long lines = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                }
            }
            out.write(buffer, 0, n);
        }
        return lines;
    }
}
