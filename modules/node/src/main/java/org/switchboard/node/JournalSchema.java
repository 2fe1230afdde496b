package org.switchboard.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;

/**
 * Creates the journal tables on first start with the script akka-persistence-jdbc ships. Unlike the testkit's
 * schema helper it fails loudly: a node that cannot write its journal must not answer SIP.
 */
final class JournalSchema {
    private static final Logger log = LoggerFactory.getLogger(JournalSchema.class);

    private JournalSchema() {
    }

    static void ensure(Config config) throws StartupException {
        String dialect = config.getString("switchboard.journal.dialect");
        String url = config.getString("switchboard.journal.url");
        try (Connection c = DriverManager.getConnection(url, config.getString("switchboard.journal.user"),
                config.getString("switchboard.journal.password"))) {
            if (tableExists(c, "event_journal")) {
                return;
            }
            String script = script(dialect.equals("h2") ? "schema/h2/h2-create-schema.sql"
                    : "schema/postgres/postgres-create-schema.sql");
            try (Statement st = c.createStatement()) {
                for (String sql : script.split(";")) {
                    if (!sql.isBlank()) {
                        st.execute(sql);
                    }
                }
            }
            log.info("created the journal schema in {}", url);
        } catch (SQLException | IOException e) {
            throw new StartupException(1, "cannot create the journal schema in " + url + ": " + e.getMessage(), e);
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
