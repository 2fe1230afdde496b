package org.switchboard.node;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.session.CallEvent;
import org.switchboard.session.api.CallEntity;

import akka.serialization.Serialization;

import com.typesafe.config.Config;

/**
 * Reads the call events that open, move and close a call's deadline straight from the journal's table, for the
 * call sweeper. Not through journal tags: in akka-persistence-jdbc a write batch that holds one tagged event is
 * inserted row by row (Slick cannot return generated keys from a batch), which slowed every journal write of the
 * node down; these reads cost the writers nothing. They rely on akka-persistence-jdbc's table layout, which the
 * node creates itself ({@link JournalSchema}). One connection of its own, opened again after a failure; blocking:
 * call it from a blocking dispatcher.
 */
final class JournalCallRows implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JournalCallRows.class);

    /** A journal row: its ordering, and the call event in it if it is one the sweeper follows. */
    record Row(long ordering, Optional<CallRow> call) {
    }

    /** A followed call event, and the Call-ID it belongs to. */
    record CallRow(String callId, CallEvent event) {
    }

    private static final List<Class<?>> FOLLOWED = List.of(CallEvent.CallAnswered.class,
            CallEvent.SessionRefreshed.class, CallEvent.CallEnded.class);
    private static final String PREFIX = CallEntity.KEY.name() + "|";
    /** Every row's ordering; the payload (and the id) only of the rows followed, so the rest costs little. */
    private static final String FOLLOWED_ROW = "\"persistence_id\" LIKE '" + PREFIX + "%' AND NOT \"deleted\" AND ("
            + FOLLOWED.stream().map(c -> "\"event_ser_manifest\" LIKE '" + c.getName() + "%'")
                    .collect(Collectors.joining(" OR ")) + ")";
    private static final String COLUMNS = "SELECT \"ordering\", CASE WHEN " + FOLLOWED_ROW + " THEN \"persistence_id\" END,"
            + " \"event_ser_id\", \"event_ser_manifest\", CASE WHEN " + FOLLOWED_ROW + " THEN \"event_payload\" END"
            + " FROM \"event_journal\" ";
    private static final String AFTER = COLUMNS + "WHERE \"ordering\" > ? ORDER BY \"ordering\" LIMIT ?";

    private final Config journal;
    private final Serialization serialization;
    private Optional<Connection> connection = Optional.empty();

    /** @param journal the {@code switchboard.journal} section (url, user, password) */
    JournalCallRows(Config journal, Serialization serialization) {
        this.journal = journal;
        this.serialization = serialization;
    }

    /** The rows after {@code ordering}, lowest first, at most {@code limit}. */
    List<Row> after(long ordering, int limit) throws SQLException {
        return query(AFTER, st -> {
            st.setLong(1, ordering);
            st.setInt(2, limit);
        });
    }

    /** Those of the rows with these orderings that exist now. */
    List<Row> withOrderings(List<Long> orderings) throws SQLException {
        if (orderings.isEmpty()) {
            return List.of();
        }
        String in = Stream.generate(() -> "?").limit(orderings.size()).collect(Collectors.joining(","));
        return query(COLUMNS + "WHERE \"ordering\" IN (" + in + ") ORDER BY \"ordering\"", st -> {
            for (int i = 0; i < orderings.size(); i++) {
                st.setLong(i + 1, orderings.get(i));
            }
        });
    }

    private interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    private List<Row> query(String sql, Binder binder) throws SQLException {
        Connection c = connection();
        try (PreparedStatement st = c.prepareStatement(sql)) {
            binder.bind(st);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    private Row row(ResultSet rs) throws SQLException {
        long ordering = rs.getLong(1);
        String persistenceId = rs.getString(2);
        byte[] payload = rs.getBytes(5);
        if (persistenceId == null || payload == null) {
            return new Row(ordering, Optional.empty());
        }
        String callId = persistenceId.substring(PREFIX.length());
        try {
            Object event = serialization.deserialize(payload, rs.getInt(3), rs.getString(4)).get();
            return new Row(ordering, event instanceof CallEvent c ? Optional.of(new CallRow(callId, c)) : Optional.empty());
        } catch (RuntimeException e) {
            // one unreadable event must not stop the sweeper for every other call
            log.warn("journal row {} of call {} cannot be read; its deadline is not followed: {}", ordering, callId,
                    e.toString());
            return new Row(ordering, Optional.empty());
        }
    }

    private Connection connection() throws SQLException {
        if (connection.isEmpty()) {
            Connection c = DriverManager.getConnection(journal.getString("url"), journal.getString("user"),
                    journal.getString("password"));
            c.setReadOnly(true);
            connection = Optional.of(c);
        }
        return connection.get();
    }

    @Override
    public void close() {
        connection.ifPresent(c -> {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing the sweeper's journal connection: {}", e.toString());
            }
        });
        connection = Optional.empty();
    }
}
