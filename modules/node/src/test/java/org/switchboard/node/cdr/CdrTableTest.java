package org.switchboard.node.cdr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Records written and loaded back on both databases the journal runs on: H2 and PostgreSQL. */
class CdrTableTest {

    @Test
    void recordsAreLoadedByKeyOnH2() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:"
                + Files.createTempDirectory("cdr-table").resolve("journal"), "sa", "")) {
            writtenRecordsAreLoadedByTheirKeysAndNoOthers(c, false);
        }
    }

    @Test
    void recordsAreLoadedByKeyOnPostgres() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
             Connection c = pg.getPostgresDatabase().getConnection()) {
            writtenRecordsAreLoadedByTheirKeysAndNoOthers(c, true);
        }
    }

    /**
     * More Call-IDs than one query takes, two legs of one call, a Call-ID longer than the column (a hostile one, cut
     * when written), keys with no record: each key gets its record or none.
     */
    private static void writtenRecordsAreLoadedByTheirKeysAndNoOthers(Connection c, boolean postgres) throws Exception {
        CdrTable.create(c);
        int calls = CdrTable.LOAD_BATCH * 2 + 7;
        String longCallId = "x".repeat(CdrTable.TEXT + 50) + "@hostile";
        List<Cdr> records = new ArrayList<>(IntStream.range(0, calls).mapToObj(i -> record("call-" + i, 0)).toList());
        records.add(record("call-3", 5)); // a failed attempt's leg of a call also answered
        records.add(record(CdrTable.cut(longCallId), 0));
        CdrTable.write(c, postgres, records, 42);

        List<CdrTable.Key> keys = new ArrayList<>();
        IntStream.range(0, calls).forEach(i -> keys.add(new CdrTable.Key("call-" + i, 0)));
        keys.add(new CdrTable.Key("call-3", 5));
        keys.add(new CdrTable.Key("call-3", 6)); // no such leg
        keys.add(new CdrTable.Key("never-written", 0));
        keys.add(new CdrTable.Key(longCallId, 0)); // asked as the entity knows it, found as stored
        Map<CdrTable.Key, Cdr> loaded = CdrTable.load(c, keys);

        assertEquals(calls + 2, loaded.size(), loaded.keySet().toString());
        IntStream.range(0, calls).forEach(i ->
                assertEquals(record("call-" + i, 0), loaded.get(new CdrTable.Key("call-" + i, 0))));
        assertEquals(record("call-3", 5), loaded.get(new CdrTable.Key("call-3", 5)));
        assertEquals(record(CdrTable.cut(longCallId), 0), loaded.get(new CdrTable.Key(longCallId, 0)));
        assertEquals(42, CdrTable.offset(c), "the offset written with the records");
    }

    @Test
    void recordsAnEarlierVersionKeptInTheH2JournalMoveToTheirOwnDatabaseOnce() throws Exception {
        var dir = Files.createTempDirectory("cdr-move");
        String journalUrl = "jdbc:h2:file:" + dir.resolve("journal") + ";WRITE_DELAY=0";
        CdrDatabase cdrs = CdrDatabase.of(com.typesafe.config.ConfigFactory.parseMap(Map.of("url", journalUrl,
                "dialect", "h2", "user", "sa", "password", "")));
        assertEquals("jdbc:h2:file:" + dir.resolve("journal-cdr") + ";WRITE_DELAY=0", cdrs.url());
        List<Cdr> old = IntStream.range(0, 1_500).mapToObj(i -> record("old-" + i, 0)).toList();
        try (Connection journal = DriverManager.getConnection(journalUrl, "sa", "")) {
            CdrTable.create(journal); // where the records were before
            CdrTable.write(journal, false, old, 77);
            try (Connection cdr = cdrs.open()) {
                CdrTable.create(cdr);
                assertEquals(1_500, CdrTable.moveFromJournal(journal, cdr));
                assertEquals(0, CdrTable.moveFromJournal(journal, cdr), "a second start finds nothing to move");
                assertEquals(77, CdrTable.offset(cdr), "the writer goes on where it was");
                List<CdrTable.Key> keys = IntStream.range(0, 1_500).mapToObj(i -> new CdrTable.Key("old-" + i, 0)).toList();
                Map<CdrTable.Key, Cdr> moved = CdrTable.load(cdr, keys);
                assertEquals(1_500, moved.size());
                assertEquals(record("old-1499", 0), moved.get(new CdrTable.Key("old-1499", 0)));
            }
            try (var st = journal.createStatement();
                 var rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE 'cdr%'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "the journal's database no longer holds them");
            }
        }
    }

    private static Cdr record(String callId, long leg) {
        return new Cdr(callId, leg, "sip:alice@sip.test", "sip:bob@sip.test", "sip:bob@sip.test", "sip:bob@127.0.0.2",
                1_000 + leg, leg == 0 ? 2_000 : 0, 3_000, leg == 0 ? 0 : 486, leg == 0 ? "caller" : "",
                leg == 0 ? "BYE 200" : "Busy Here", "", "127.0.0.1:2552");
    }
}
