package org.switchboard.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;
import org.switchboard.node.cdr.CdrDatabase;
import org.switchboard.node.cdr.CdrTable;

/**
 * Creates the journal tables on first start with the script akka-persistence-jdbc ships. Unlike the testkit's
 * schema helper it fails loudly: a node that cannot write its journal must not answer SIP.
 */
final class JournalSchema {
    private static final Logger log = LoggerFactory.getLogger(JournalSchema.class);
    /** Arbitrary key of the PostgreSQL advisory lock that serialises schema creation across nodes. */
    private static final long SCHEMA_LOCK = 0x5377_6974_6368L;

    private JournalSchema() {
    }

    static void ensure(Config config) throws StartupException {
        String dialect = config.getString("switchboard.journal.dialect");
        String url = config.getString("switchboard.journal.url");
        try (Connection c = DriverManager.getConnection(url, config.getString("switchboard.journal.user"),
                config.getString("switchboard.journal.password"))) {
            boolean postgres = dialect.equals("postgres");
            if (postgres) {
                lock(c);
            }
            try {
                create(c, dialect, url);
                CdrDatabase cdrs = CdrDatabase.of(config.getConfig("switchboard.journal"));
                if (cdrs.sharesJournal()) {
                    CdrTable.create(c); // the call detail records live beside the journal (CdrWriter)
                } else {
                    try (Connection cdr = cdrs.open()) {
                        CdrTable.create(cdr);
                        int moved = CdrTable.moveFromJournal(c, cdr);
                        if (moved > 0) {
                            log.info("moved {} call detail records from the journal's database to {}", moved, cdrs.url());
                        }
                    }
                }
                if (!postgres) {
                    cacheOrdering(c);
                }
            } finally {
                if (postgres) {
                    try (Statement st = c.createStatement()) {
                        st.execute("SELECT pg_advisory_unlock(" + SCHEMA_LOCK + ")");
                    }
                }
            }
        } catch (SQLException | IOException e) {
            throw new StartupException(1, "cannot create the journal schema in " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * Core nodes of a cluster start together: one creates the schema while the others wait, then see it. They
     * poll with short statements, not a blocking pg_advisory_lock: the script's CREATE INDEX CONCURRENTLY waits
     * for every open transaction, a blocked lock call included, and PostgreSQL would call that a deadlock.
     */
    private static void lock(Connection c) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + SCHEMA_LOCK + ")")) {
                if (rs.next() && rs.getBoolean(1)) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new SQLException("another node has held the schema lock for 120 s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the schema lock", e);
            }
        }
    }

    private static void create(Connection c, String dialect, String url) throws SQLException, IOException {
        if (tableExists(c, "event_journal")) {
            return;
        }
        String script = dialect.equals("h2") ? keyedByOrdering(inlinePayloads(script("schema/h2/h2-create-schema.sql")))
                : script("schema/postgres/postgres-create-schema.sql");
        try (Statement st = c.createStatement()) {
            for (String sql : script.split(";")) {
                if (!sql.isBlank()) {
                    st.execute(sql);
                }
            }
        }
        log.info("created the journal schema in {}", url);
    }

    /**
     * H2 keeps every BLOB value in a separate LOB store with its own index, a second write per event; events and
     * snapshots are small (hundreds of bytes), so they are kept in the row, as PostgreSQL's bytea does. Only for
     * journals created from now on: an existing one keeps its columns.
     */
    static String inlinePayloads(String h2Script) {
        return h2Script.replace(" BLOB", " VARBINARY");
    }

    /**
     * The script gives H2's event table four B-trees to write per event: the rows by an internal row id, the primary
     * key (persistence id, sequence number), and the global ordering twice (its UNIQUE column and an index on it).
     * H2 writes every page an insert touched, up to each tree's root, at every commit: three quarters of a journal
     * writer's CPU under load. Here the ordering is the primary key, which H2 makes the rows' own key (appended at
     * the right edge), and (persistence id, sequence number) a unique constraint: two trees, the same uniqueness,
     * the same queries served by an index. Only for journals created from now on: an existing one keeps its keys.
     *
     * @throws IllegalStateException if the script no longer reads as expected (a new akka-persistence-jdbc)
     */
    static String keyedByOrdering(String h2Script) {
        String ordering = "\"ordering\" BIGINT UNIQUE NOT NULL AUTO_INCREMENT,";
        String eventKey = "PRIMARY KEY(\"persistence_id\",\"sequence_number\")";
        String orderingIndex = "CREATE UNIQUE INDEX \"event_journal_ordering_idx\" on \"event_journal\" (\"ordering\");";
        int table = h2Script.indexOf("\"event_journal\" (");
        int end = h2Script.indexOf(");", table);
        if (table < 0 || end < 0 || !h2Script.substring(table, end).contains(ordering)
                || !h2Script.substring(table, end).contains(eventKey) || !h2Script.contains(orderingIndex)) {
            throw new IllegalStateException("akka-persistence-jdbc's H2 script changed: its event_journal keys are not "
                    + "the ones JournalSchema rewrites");
        }
        String eventTable = h2Script.substring(table, end)
                .replace(ordering, "\"ordering\" BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,")
                .replace(eventKey, "CONSTRAINT \"event_journal_event_key\" UNIQUE(\"persistence_id\",\"sequence_number\")");
        return (h2Script.substring(0, table) + eventTable + h2Script.substring(end)).replace(orderingIndex, "");
    }

    /**
     * H2 hands out the journal's global ordering from an identity sequence that caches 32 values, and writes its
     * whole store each time the cache runs dry: a tenth of the CPU of a call under load. A larger cache only
     * leaves gaps in the ordering after a crash, which the journal and its queries allow.
     */
    private static void cacheOrdering(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE \"event_journal\" ALTER COLUMN \"ordering\" SET CACHE 10000");
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, null, table, new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    private static String script(String resource) throws IOException {
        try (InputStream in = JournalSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("schema script " + resource + " not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
