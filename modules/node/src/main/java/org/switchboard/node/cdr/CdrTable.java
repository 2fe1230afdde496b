package org.switchboard.node.cdr;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.switchboard.node.warmup.WarmUpSettings;

/**
 * The {@code cdr} table and the projection's stored offset ({@code cdr_offset}), in the CDR database
 * ({@link CdrDatabase}: the journal's on PostgreSQL, a file of its own on H2). Records are written with the offset in one transaction; a record is keyed by
 * {@code (call_id, leg)} and written whole (upsert), so reading the same events again rewrites the same rows.
 * Times are epoch milliseconds (0: not known), every column is NOT NULL (empty: not known).
 */
public final class CdrTable {
    /** The longest text kept in a column: longer values (a hostile From) are cut, never refused. */
    static final int TEXT = 1024;
    private static final String PROJECTION = "cdr";
    /** Call-IDs per query of {@link #load}. */
    static final int LOAD_BATCH = 200;
    static final List<String> COLUMNS = List.of("call_id", "leg", "caller", "callee", "request_uri",
            "answered_contact", "start_ms", "answer_ms", "end_ms", "duration_s", "disposition", "sip_status",
            "hangup_side", "cause", "transferred_to", "node", "period_ms");
    private static final String SELECT = "SELECT " + quoted(COLUMNS) + " FROM \"cdr\" ";
    /**
     * The warm-up's calls (README, "Cold start") are recorded like any, so that their events leave the journal like
     * any call's, but never exported, and their records go with their events.
     */
    private static final String WARM_UP = "'%@" + WarmUpSettings.DOMAIN + "'";

    private CdrTable() {
    }

    /** Creates the tables if they are not there (at a core node's start, with the journal's schema). */
    public static void create(Connection c) throws SQLException {
        String text = " VARCHAR(" + TEXT + ") NOT NULL";
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS \"cdr\" (\"call_id\"" + text + ", \"leg\" BIGINT NOT NULL,"
                    + " \"caller\"" + text + ", \"callee\"" + text + ", \"request_uri\"" + text + ","
                    + " \"answered_contact\"" + text + ", \"start_ms\" BIGINT NOT NULL, \"answer_ms\" BIGINT NOT NULL,"
                    + " \"end_ms\" BIGINT NOT NULL, \"duration_s\" BIGINT NOT NULL, \"disposition\" VARCHAR(16) NOT NULL,"
                    + " \"sip_status\" INT NOT NULL, \"hangup_side\" VARCHAR(16) NOT NULL, \"cause\"" + text + ","
                    + " \"transferred_to\"" + text + ", \"node\"" + text + ", \"period_ms\" BIGINT NOT NULL,"
                    + " \"events_deleted\" BOOLEAN DEFAULT FALSE NOT NULL, PRIMARY KEY (\"call_id\", \"leg\"))");
            st.execute("CREATE INDEX IF NOT EXISTS \"cdr_period\" ON \"cdr\" (\"period_ms\")");
            st.execute("CREATE INDEX IF NOT EXISTS \"cdr_retention\" ON \"cdr\" (\"events_deleted\", \"end_ms\")");
            st.execute("CREATE TABLE IF NOT EXISTS \"cdr_offset\" (\"projection\" VARCHAR(64) NOT NULL PRIMARY KEY,"
                    + " \"ordering\" BIGINT NOT NULL)");
        }
    }

    /**
     * Moves the records an earlier version kept in the H2 journal's own database (tables {@code cdr} and
     * {@code cdr_offset} there) into the CDR database, then drops them there; a no-op once done. Written as upserts,
     * so a start interrupted between the copy and the drop copies the same rows again.
     */
    public static int moveFromJournal(Connection journal, Connection cdr) throws SQLException {
        try (Statement st = journal.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'cdr'")) {
            if (!rs.next() || rs.getInt(1) == 0) {
                return 0;
            }
        }
        List<String> all = new ArrayList<>(COLUMNS);
        all.add("events_deleted");
        String marks = all.stream().map(x -> "?").collect(Collectors.joining(", "));
        int moved = inTransaction(cdr, () -> copy(journal, cdr, all, marks));
        try (Statement st = journal.createStatement()) {
            st.execute("DROP TABLE \"cdr\"");
            st.execute("DROP TABLE IF EXISTS \"cdr_offset\"");
        }
        return moved;
    }

    private static int copy(Connection journal, Connection cdr, List<String> all, String marks) throws SQLException {
        int moved = 0;
        try (Statement read = journal.createStatement();
             ResultSet rows = read.executeQuery("SELECT " + quoted(all) + " FROM \"cdr\"");
             PreparedStatement write = cdr.prepareStatement("MERGE INTO \"cdr\" (" + quoted(all) + ") KEY (\"call_id\", \"leg\")"
                     + " VALUES (" + marks + ")")) {
            while (rows.next()) {
                for (int i = 1; i <= all.size(); i++) {
                    write.setObject(i, rows.getObject(i));
                }
                write.addBatch();
                if (++moved % 1000 == 0) {
                    write.executeBatch();
                }
            }
            write.executeBatch();
            try (ResultSet at = read.executeQuery("SELECT \"projection\", \"ordering\" FROM \"cdr_offset\"");
                 PreparedStatement offset = cdr.prepareStatement(
                         "MERGE INTO \"cdr_offset\" (\"projection\", \"ordering\") KEY (\"projection\") VALUES (?, ?)")) {
                while (at.next()) {
                    offset.setString(1, at.getString(1));
                    offset.setLong(2, at.getLong(2));
                    offset.executeUpdate();
                }
            }
        }
        return moved;
    }

    /** The journal ordering up to which every call event is in the table (0: none yet). */
    public static long offset(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT \"ordering\" FROM \"cdr_offset\" WHERE \"projection\" = ?")) {
            st.setString(1, PROJECTION);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * The records of these keys that exist, by key: one query per {@link #LOAD_BATCH} Call-IDs (a page of the journal
     * holds up to two thousand calls' rows; one query per record was a round trip per call on PostgreSQL).
     */
    public static Map<Key, Cdr> load(Connection c, Collection<Key> keys) throws SQLException {
        // as the table holds them (cut) -> as asked: Call-IDs beyond TEXT that share their first TEXT characters
        // share a row, as they do when written
        Map<Key, List<Key>> asked = new HashMap<>();
        for (Key k : keys) {
            asked.computeIfAbsent(new Key(cut(k.callId()), k.leg()), x -> new ArrayList<>()).add(k);
        }
        List<String> callIds = asked.keySet().stream().map(Key::callId).distinct().toList();
        Map<Key, Cdr> out = new HashMap<>();
        for (int from = 0; from < callIds.size(); from += LOAD_BATCH) {
            List<String> part = callIds.subList(from, Math.min(callIds.size(), from + LOAD_BATCH));
            String marks = String.join(", ", Collections.nCopies(part.size(), "?"));
            try (PreparedStatement st = c.prepareStatement(SELECT + "WHERE \"call_id\" IN (" + marks + ")")) {
                for (int i = 0; i < part.size(); i++) {
                    st.setString(i + 1, part.get(i));
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        Cdr record = read(rs);
                        for (Key k : asked.getOrDefault(new Key(record.callId(), record.leg()), List.of())) {
                            out.put(k, record);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** A record's key. */
    public record Key(String callId, long leg) {
    }

    /** Writes the records and moves the offset to {@code ordering}, in one transaction. */
    public static void write(Connection c, boolean postgres, Collection<Cdr> records, long ordering) throws SQLException {
        inTransaction(c, () -> {
            if (!records.isEmpty()) {
                try (PreparedStatement st = c.prepareStatement(upsert(postgres))) {
                    for (Cdr r : records) {
                        bind(st, r);
                        st.addBatch();
                    }
                    st.executeBatch();
                }
            }
            try (PreparedStatement st = c.prepareStatement(postgres
                    ? "INSERT INTO \"cdr_offset\" (\"projection\", \"ordering\") VALUES (?, ?)"
                            + " ON CONFLICT (\"projection\") DO UPDATE SET \"ordering\" = EXCLUDED.\"ordering\""
                    : "MERGE INTO \"cdr_offset\" (\"projection\", \"ordering\") KEY (\"projection\") VALUES (?, ?)")) {
                st.setString(1, PROJECTION);
                st.setLong(2, ordering);
                st.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Call-IDs whose records are all complete and ended before {@code cutoffMillis}, whose events are still in the
     * journal: at most {@code limit}.
     */
    public static List<String> expired(Connection c, long cutoffMillis, int limit) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT DISTINCT r.\"call_id\" FROM \"cdr\" r"
                + " WHERE NOT r.\"events_deleted\" AND r.\"end_ms\" > 0 AND r.\"end_ms\" < ?"
                + " AND NOT EXISTS (SELECT 1 FROM \"cdr\" o WHERE o.\"call_id\" = r.\"call_id\""
                + " AND (o.\"end_ms\" = 0 OR o.\"end_ms\" >= ?)) LIMIT ?")) {
            st.setLong(1, cutoffMillis);
            st.setLong(2, cutoffMillis);
            st.setInt(3, limit);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /**
     * Deletes the journal rows of these calls ({@code persistenceIdPrefix} + Call-ID), in one transaction of the
     * journal's database; returns how many rows went. Then {@link #markEventsDeleted}: a crash between the two leaves
     * the records unmarked, and the next pass deletes nothing and marks them.
     */
    public static int deleteEvents(Connection journal, String persistenceIdPrefix, List<String> callIds) throws SQLException {
        return inTransaction(journal, () -> {
            try (PreparedStatement st = journal.prepareStatement("DELETE FROM \"event_journal\" WHERE \"persistence_id\" = ?")) {
                int deleted = 0;
                for (String id : callIds) {
                    st.setString(1, persistenceIdPrefix + id);
                    deleted += st.executeUpdate();
                }
                return deleted;
            }
        });
    }

    /** These calls' events are gone from the journal: their records say so, and the warm-up's go with them. */
    public static void markEventsDeleted(Connection c, List<String> callIds) throws SQLException {
        inTransaction(c, () -> {
            try (PreparedStatement mark = c.prepareStatement("UPDATE \"cdr\" SET \"events_deleted\" = TRUE WHERE \"call_id\" = ?");
                 PreparedStatement warmUp = c.prepareStatement("DELETE FROM \"cdr\" WHERE \"call_id\" = ? AND \"caller\" LIKE "
                         + WARM_UP)) {
                for (String id : callIds) {
                    mark.setString(1, id);
                    mark.addBatch();
                    warmUp.setString(1, id);
                    warmUp.addBatch();
                }
                mark.executeBatch();
                warmUp.executeBatch();
                return null;
            }
        });
    }

    /** Statements run in one transaction. */
    private interface Work<T> {
        T run() throws SQLException;
    }

    /** {@code work} in one transaction of {@code c}: committed, or rolled back if it throws. */
    private static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T out = work.run();
            c.commit();
            return out;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** The query of a period's records, oldest first: bind the period's start and end (epoch ms, end excluded). */
    static String periodQuery() {
        return SELECT + "WHERE \"period_ms\" >= ? AND \"period_ms\" < ? AND \"caller\" NOT LIKE " + WARM_UP + " ORDER BY \"period_ms\", \"call_id\", \"leg\"";
    }

    static Cdr read(ResultSet rs) throws SQLException {
        return new Cdr(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getInt(12), rs.getString(13),
                rs.getString(14), rs.getString(15), rs.getString(16));
    }

    private static String upsert(boolean postgres) {
        String values = COLUMNS.stream().map(x -> "?").collect(Collectors.joining(", "));
        if (postgres) {
            return "INSERT INTO \"cdr\" (" + quoted(COLUMNS) + ") VALUES (" + values + ") ON CONFLICT (\"call_id\", \"leg\")"
                    + " DO UPDATE SET " + COLUMNS.stream().skip(2).map(col -> "\"" + col + "\" = EXCLUDED.\"" + col + "\"")
                    .collect(Collectors.joining(", "));
        }
        return "MERGE INTO \"cdr\" (" + quoted(COLUMNS) + ") KEY (\"call_id\", \"leg\") VALUES (" + values + ")";
    }

    private static void bind(PreparedStatement st, Cdr r) throws SQLException {
        st.setString(1, cut(r.callId()));
        st.setLong(2, r.leg());
        st.setString(3, cut(r.caller()));
        st.setString(4, cut(r.callee()));
        st.setString(5, cut(r.requestUri()));
        st.setString(6, cut(r.answeredContact()));
        st.setLong(7, r.startMillis());
        st.setLong(8, r.answerMillis());
        st.setLong(9, r.endMillis());
        st.setLong(10, r.durationSeconds());
        st.setString(11, r.disposition());
        st.setInt(12, r.sipStatus());
        st.setString(13, r.hangupSide().length() > 16 ? r.hangupSide().substring(0, 16) : r.hangupSide());
        st.setString(14, cut(r.cause()));
        st.setString(15, cut(r.transferredTo()));
        st.setString(16, cut(r.node()));
        st.setLong(17, r.periodMillis());
    }

    /**
     * At most {@link #TEXT} characters and no NUL (PostgreSQL refuses it in text): a value the table cannot take
     * would stop the writer for every later call.
     */
    static String cut(String text) {
        String clean = text.indexOf('\0') >= 0 ? text.replace('\0', ' ') : text;
        return clean.length() > TEXT ? clean.substring(0, TEXT) : clean;
    }

    private static String quoted(List<String> columns) {
        return columns.stream().map(col -> "\"" + col + "\"").collect(Collectors.joining(", "));
    }
}
