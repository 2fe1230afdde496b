package org.switchboard.node.admin;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.registrar.api.RegistrationEntity;

import com.typesafe.config.Config;

/**
 * Which AORs have ever had a Registration entity, read from the journal's tables (events and snapshots: a
 * snapshot may have replaced the events). Sharding knows only the awake entities; the export and the counts need
 * every one. A deleted account is still listed here: asking its entity says there is none. Blocking: call it
 * from a blocking dispatcher.
 */
final class SubscriberDirectory {
    private static final String PREFIX = RegistrationEntity.KEY.name() + "|";
    private static final String IDS = "SELECT DISTINCT \"persistence_id\" FROM \"event_journal\" WHERE \"persistence_id\" LIKE ?"
            + " UNION SELECT DISTINCT \"persistence_id\" FROM \"snapshot\" WHERE \"persistence_id\" LIKE ?";

    private final Config journal;

    /** @param journal the {@code switchboard.journal} section (url, user, password) */
    SubscriberDirectory(Config journal) {
        this.journal = journal;
    }

    /** Every AOR (entity id), sorted. */
    List<String> aors() throws SQLException {
        try (Connection c = DriverManager.getConnection(journal.getString("url"), journal.getString("user"),
                journal.getString("password"));
             PreparedStatement st = c.prepareStatement(IDS)) {
            c.setReadOnly(true);
            st.setString(1, PREFIX + "%");
            st.setString(2, PREFIX + "%");
            List<String> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1).substring(PREFIX.length()));
                }
            }
            out.sort(String::compareTo);
            return out;
        }
    }

    /** One round trip to the journal's database, for the cluster view's health: its time in ms. */
    long ping() throws SQLException {
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(journal.getString("url"), journal.getString("user"),
                journal.getString("password"));
             PreparedStatement st = c.prepareStatement("SELECT 1")) {
            st.setQueryTimeout(5);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
