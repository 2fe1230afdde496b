package org.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.typesafe.config.Config;

/** The H2 journal as a node creates it: its keys, and what they still refuse and find. */
class JournalSchemaTest {

    @Test
    void theEventsAreKeyedByTheirOrderingWithOneUniqueIndexForTheirEntityAndSequence() throws Exception {
        Config config = NodeConfig.load(CommandLine.parse("--data", Files.createTempDirectory("journal-schema").toString()));
        JournalSchema.ensure(config);
        try (Connection c = DriverManager.getConnection(config.getString("switchboard.journal.url"), "sa", "")) {
            assertEquals(List.of("PRIMARY KEY(ordering)", "UNIQUE INDEX(persistence_id,sequence_number)"), indexes(c),
                    "two B-trees per event, not four");
            insert(c, "Call|a@x", 1);
            insert(c, "Call|a@x", 2);
            insert(c, "Call|b@x", 1);
            SQLException duplicate = assertThrows(SQLException.class, () -> insert(c, "Call|a@x", 2),
                    "an event of an entity's sequence number is written once");
            assertEquals("23505", duplicate.getSQLState(), duplicate.getMessage()); // unique constraint violated
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT \"persistence_id\", \"sequence_number\" FROM \"event_journal\""
                         + " ORDER BY \"ordering\"")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1) + "/" + rs.getLong(2));
                }
                assertEquals(List.of("Call|a@x/1", "Call|a@x/2", "Call|b@x/1"), rows, "the order they were written in");
            }
        }
    }

    @Test
    void aScriptThatNoLongerReadsAsExpectedStopsTheNodeRatherThanMakingAnotherSchema() {
        assertThrows(IllegalStateException.class, () -> JournalSchema.keyedByOrdering(
                "CREATE TABLE IF NOT EXISTS \"event_journal\" (\"ordering\" BIGSERIAL, PRIMARY KEY(\"ordering\"));"));
    }

    /** "TYPE(columns)" of each index of the event table, in H2's own words. */
    private static List<String> indexes(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT i.INDEX_TYPE_NAME, LISTAGG(k.COLUMN_NAME, ',') WITHIN GROUP"
                     + " (ORDER BY k.ORDINAL_POSITION) FROM INFORMATION_SCHEMA.INDEXES i JOIN INFORMATION_SCHEMA.INDEX_COLUMNS k"
                     + " ON k.INDEX_SCHEMA = i.INDEX_SCHEMA AND k.INDEX_NAME = i.INDEX_NAME"
                     + " WHERE i.TABLE_NAME = 'event_journal' GROUP BY i.INDEX_NAME, i.INDEX_TYPE_NAME ORDER BY 1, 2")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "(" + rs.getString(2) + ")");
            }
        }
        return out;
    }

    private static void insert(Connection c, String persistenceId, long sequenceNumber) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO \"event_journal\" (\"persistence_id\","
                + " \"sequence_number\", \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\","
                + " \"event_ser_id\", \"event_ser_manifest\") VALUES (?, ?, 'w', 0, '', X'00', 1, '')")) {
            ps.setString(1, persistenceId);
            ps.setLong(2, sequenceNumber);
            ps.executeUpdate();
        }
    }
}
