package org.switchboard.registrar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The node's journal for a test: akka-persistence-jdbc on an H2 file, created with the script the library ships and
 * the node's change to it (payloads in the row, as modules/node's JournalSchema does), and the Registration rows it
 * holds counted with SQL, as an operator would count them. With the system property {@value #POSTGRES} (a JDBC URL
 * of a PostgreSQL server's {@code postgres} database, user postgres) each journal is a new database there instead:
 * how the README's PostgreSQL figures were measured.
 */
final class TestJournal {
    static final String POSTGRES = "switchboard.test.postgres";
    /** How the Registration entity's rows are keyed: the sharding type name, then the AOR. */
    static final String REGISTRATION_ROWS = "Registration|%";

    private final String url;
    private final boolean postgres;

    private TestJournal(String url, boolean postgres) {
        this.url = url;
        this.postgres = postgres;
    }

    /** A fresh journal in {@code dir} (a directory under target/), or in a new PostgreSQL database. */
    static TestJournal create(Path dir) throws SQLException, IOException {
        String server = System.getProperty(POSTGRES, "");
        TestJournal journal;
        String script;
        if (server.isEmpty()) {
            journal = new TestJournal("jdbc:h2:file:" + dir.toAbsolutePath().resolve("journal") + ";WRITE_DELAY=0", false);
            script = script("schema/h2/h2-create-schema.sql").replace(" BLOB", " VARBINARY");
        } else {
            String database = "retention_" + dir.getFileName().toString().replaceAll("[^0-9]", "");
            try (Connection c = DriverManager.getConnection(server, "postgres", ""); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE " + database);
            }
            journal = new TestJournal(server.substring(0, server.lastIndexOf('/') + 1) + database, true);
            script = script("schema/postgres/postgres-create-schema.sql");
        }
        try (Connection c = journal.connect(); Statement st = c.createStatement()) {
            for (String sql : script.split(";")) {
                if (!sql.isBlank()) {
                    st.execute(sql);
                }
            }
        }
        return journal;
    }

    private static String script(String resource) throws IOException {
        try (InputStream in = TestJournal.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Where it is: a JDBC URL. */
    String url() {
        return url;
    }

    /** An actor system's configuration for this journal, with the production serializer binding. */
    Config config() {
        return ConfigFactory.parseString("""
                akka.loglevel = INFO
                akka.actor.serialization-bindings {
                  "org.switchboard.transport.api.ClusterSerializable" = jackson-json
                }
                akka.persistence.journal.plugin = "jdbc-journal"
                akka.persistence.snapshot-store.plugin = "jdbc-snapshot-store"
                jdbc-journal.use-shared-db = "slick"
                jdbc-snapshot-store.use-shared-db = "slick"
                jdbc-read-journal.use-shared-db = "slick"
                akka-persistence-jdbc.shared-databases.slick {
                  profile = "slick.jdbc.%s$"
                  db {
                    url = "%s"
                    user = "%s"
                    password = ""
                    driver = "%s"
                    numThreads = 2
                    maxConnections = 2
                    minConnections = 1
                  }
                }
                """.formatted(postgres ? "PostgresProfile" : "H2Profile", url, user(),
                postgres ? "org.postgresql.Driver" : "org.h2.Driver"));
    }

    /** Rows and payload bytes of one table's Registration rows. */
    record Rows(long rows, long bytes) {
        Rows plus(Rows other) {
            return new Rows(rows + other.rows, bytes + other.bytes);
        }
    }

    Rows events() throws SQLException {
        return rows("SELECT COUNT(*), COALESCE(SUM(OCTET_LENGTH(\"event_payload\")), 0) FROM \"event_journal\""
                + " WHERE \"persistence_id\" LIKE ?", REGISTRATION_ROWS);
    }

    Rows snapshots() throws SQLException {
        return rows("SELECT COUNT(*), COALESCE(SUM(OCTET_LENGTH(\"snapshot_payload\")), 0) FROM \"snapshot\""
                + " WHERE \"persistence_id\" LIKE ?", REGISTRATION_ROWS);
    }

    /** Event and snapshot rows of one AOR's entity. */
    long rowsOf(String aor) throws SQLException {
        String id = "Registration|" + aor;
        return rows("SELECT COUNT(*), 0 FROM \"event_journal\" WHERE \"persistence_id\" = ?", id).rows()
                + rows("SELECT COUNT(*), 0 FROM \"snapshot\" WHERE \"persistence_id\" = ?", id).rows();
    }

    /** How many events the Registration entities have written in all (the highest sequence number of each). */
    long eventsWritten() throws SQLException {
        return rows("SELECT COALESCE(SUM(m), 0), 0 FROM (SELECT MAX(\"sequence_number\") AS m FROM \"event_journal\""
                + " WHERE \"persistence_id\" LIKE ? GROUP BY \"persistence_id\") AS written", REGISTRATION_ROWS).rows();
    }

    /** How many events one AOR's entity has written in all, deleted ones included. */
    long eventsWrittenBy(String aor) throws SQLException {
        return rows("SELECT COALESCE(MAX(\"sequence_number\"), 0), 0 FROM \"event_journal\" WHERE \"persistence_id\" = ?",
                "Registration|" + aor).rows();
    }

    private Rows rows(String sql, String parameter) throws SQLException {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, parameter);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new Rows(rs.getLong(1), rs.getLong(2));
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user(), "");
    }

    private String user() {
        return postgres ? "postgres" : "sa";
    }
}
