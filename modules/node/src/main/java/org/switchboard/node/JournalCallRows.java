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

    /** A followed call event, the Call-ID it belongs to and its sequence number in the call's events. */
    record CallRow(String callId, long sequenceNr, CallEvent event) {
    }

    /** The events the call sweeper follows: those that open, move and close a deadline. */
    static final List<Class<?>> DEADLINES = List.of(CallEvent.CallAnswered.class,
            CallEvent.SessionRefreshed.class, CallEvent.CallEnded.class);
    /** The events a call detail record is made of. */
    static final List<Class<?>> OUTCOMES = List.of(CallEvent.CallAnswered.class, CallEvent.CallFailed.class,
            CallEvent.CallTransferred.class, CallEvent.CallEnded.class);
    static final String PREFIX = CallEntity.KEY.name() + "|";

    private final String columns;
    private final String after;

    private final Config journal;
    private final Serialization serialization;
    private Optional<Connection> connection = Optional.empty();

    /** @param journal the {@code switchboard.journal} section (url, user, password) */
    JournalCallRows(Config journal, Serialization serialization) {
        this(journal, serialization, DEADLINES);
    }

    /** @param followed the call events whose rows are read whole (see {@link #DEADLINES}, {@link #OUTCOMES}) */
    JournalCallRows(Config journal, Serialization serialization, List<Class<?>> followed) {
        this.journal = journal;
        this.serialization = serialization;
        // every row's ordering; the payload (and the id) only of the rows followed, so the rest costs little
        String followedRow = "\"persistence_id\" LIKE '" + PREFIX + "%' AND NOT \"deleted\" AND ("
                + followed.stream().map(c -> "\"event_ser_manifest\" LIKE '" + c.getName() + "%'")
                        .collect(Collectors.joining(" OR ")) + ")";
        this.columns = "SELECT \"ordering\", CASE WHEN " + followedRow + " THEN \"persistence_id\" END,"
                + " \"event_ser_id\", \"event_ser_manifest\", CASE WHEN " + followedRow + " THEN \"event_payload\" END,"
                + " \"sequence_number\" FROM \"event_journal\" ";
        this.after = columns + "WHERE \"ordering\" > ? ORDER BY \"ordering\" LIMIT ?";
    }

    /** The rows after {@code ordering}, lowest first, at most {@code limit}. */
    List<Row> after(long ordering, int limit) throws SQLException {
        return query(after, st -> {
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
        return query(columns + "WHERE \"ordering\" IN (" + in + ") ORDER BY \"ordering\"", st -> {
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
            return new Row(ordering, event instanceof CallEvent c ? Optional.of(new CallRow(callId, rs.getLong(6), c))
                    : Optional.empty());
        } catch (RuntimeException e) {
            // one unreadable event must not stop the reader (sweeper, CDRs) for every other call
            log.warn("journal row {} of call {} cannot be read; skipped: {}", ordering, callId, e.toString());
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
