package org.switchboard.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** cdrs: the period's request (docs/admin-api.yaml), the CSV as the node sent it, to stdout or a file. */
class CdrsRequestsTest {
    private static final String CSV = "call_id,leg,caller\r\nc1@host,0,sip:a@x\r\n\"c,2\",3,sip:b@x\r\n";

    @TempDir
    Path dir;

    @RegisterExtension
    final FakeNode node = FakeNode.started();

    @Test
    void theCsvOfThePeriodGoesToStdoutAsTheNodeSentIt() {
        node.answerCsv("GET", "/admin/v1/cdrs", CSV);
        Cli.Result r = Cli.at(node, dir, "cdrs", "--from", "2026-12-01T00:00:00Z", "--to", "2026-12-02T00:00:00+01:00");
        assertEquals(0, r.code(), r.toString());
        assertEquals(CSV, r.out());
        assertEquals(Optional.of("from=2026-12-01T00%3A00%3A00Z&to=2026-12-02T00%3A00%3A00%2B01%3A00"),
                node.onlyRequest().rawQuery());
    }

    @Test
    void withOutTheCsvIsWrittenToTheFileAndTheRecordsCounted() throws IOException {
        node.answerCsv("GET", "/admin/v1/cdrs", CSV);
        Cli.Result r = Cli.at(node, dir, "cdrs", "--from", "2026-12-01T00:00:00Z", "--to", "2026-12-02T00:00:00Z",
                "--out", "december.csv");
        assertEquals(0, r.code(), r.toString());
        assertEquals("wrote 2 CDRs to december.csv\n", r.out());
        assertEquals(CSV, Files.readString(dir.resolve("december.csv"), StandardCharsets.UTF_8));
    }

    @Test
    void theNodesRefusalIsTheErrorAndNoFileIsLeft() throws IOException {
        node.answer("GET", "/admin/v1/cdrs", 400, "{\"error\":\"from must be before to\"}");
        Cli.Result r = Cli.at(node, dir, "cdrs", "--from", "2026-12-02T00:00:00Z", "--to", "2026-12-01T00:00:00Z",
                "--out", "x.csv");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("from must be before to (400)"), r.err());
        assertFalse(Files.exists(dir.resolve("x.csv")));
        try (var left = Files.list(dir)) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().endsWith(".part")).count());
        }
    }

    @Test
    void aTimeWithoutAZoneIsABadUsage() {
        Cli.Result r = Cli.at(node, dir, "cdrs", "--from", "2026-12-01", "--to", "2026-12-02T00:00:00Z");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--from 2026-12-01: not an ISO-8601 time with a zone"), r.err());
        assertTrue(node.requests().isEmpty());
    }
}
