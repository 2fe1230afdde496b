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
                CdrTable.create(c); // the call detail records live beside the journal (CdrWriter)
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
        String script = dialect.equals("h2") ? inlinePayloads(script("schema/h2/h2-create-schema.sql"))
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
