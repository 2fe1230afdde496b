package org.switchboard.node.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import scala.concurrent.Future;
import scala.concurrent.Promise;

/**
 * The highest sequence number of many persistence ids read in one statement. Every entity's recovery asks for its
 * own, and every new call is a new entity: one query per call, the most frequent statement of a node under call
 * load (on PostgreSQL, one round trip and one execution per call). Asks that arrive while a read is under way wait
 * for it and are answered together by the next; a lone ask is read at once, so nothing is delayed that would not
 * have waited anyway. A read starts after every ask it answers was made, so it sees every write committed before
 * them, as the library's own query does.
 */
final class HighestSequenceNrReads {
    /** Ids per statement: the statement's text depends on the count, and drivers cache one plan per text. */
    static final int MAX_BATCH = 64;

    /** Threads that die when idle: one read at a time per journal, and tests start many journals in one JVM. */
    private static final Executor READERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "journal-reads");
                thread.setDaemon(true);
                return thread;
            });

    /** Where a read gets its connection (the journal's pool), closed after the read. */
    interface Connections {
        Connection open() throws SQLException;
    }

    private record Ask(String persistenceId, Promise<Object> highest) {
    }

    private final Connections connections;
    private final Optional<String> schema;
    private final String table;
    private final String persistenceIdColumn;
    private final String sequenceNumberColumn;
    private final Counter statements;
    private final ConcurrentLinkedQueue<Ask> asks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean reading = new AtomicBoolean();

    HighestSequenceNrReads(Connections connections, Optional<String> schema, String table,
            String persistenceIdColumn, String sequenceNumberColumn, Counter statements) {
        this.connections = connections;
        this.schema = schema;
        this.table = table;
        this.persistenceIdColumn = persistenceIdColumn;
        this.sequenceNumberColumn = sequenceNumberColumn;
        this.statements = statements;
    }

    /** The highest sequence number written for {@code persistenceId}, 0 when none: a {@code Long}, boxed for Scala. */
    Future<Object> highest(String persistenceId) {
        Promise<Object> highest = Promise.apply();
        asks.add(new Ask(persistenceId, highest));
        if (reading.compareAndSet(false, true)) {
            READERS.execute(this::readWhileAsked);
        }
        return highest.future();
    }

    private void readWhileAsked() {
        while (true) {
            List<Ask> batch = new ArrayList<>();
            for (Ask ask = asks.poll(); ask != null; ask = batch.size() < MAX_BATCH ? asks.poll() : null) {
                batch.add(ask);
            }
            if (!batch.isEmpty()) {
                read(batch);
                continue;
            }
            reading.set(false);
            // an ask added after the poll above but before the flag was cleared found the flag set and left it to us
            if (asks.isEmpty() || !reading.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void read(List<Ask> batch) {
        statements.increment();
        try (Connection connection = connections.open();
                PreparedStatement statement = connection.prepareStatement(sql(batch.size()))) {
            for (int i = 0; i < batch.size(); i++) {
                statement.setString(i + 1, batch.get(i).persistenceId());
            }
            long[] highest = new long[batch.size()];
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    highest[rows.getInt(1)] = rows.getLong(2); // NULL (nothing written) reads as 0
                }
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).highest().trySuccess(highest[i]);
            }
        } catch (SQLException | RuntimeException e) {
            batch.forEach(ask -> ask.highest().tryFailure(e));
        }
    }

    /**
     * One row per id, numbered as asked: each a lookup of the last entry of that id in the primary key's index
     * (what the library's own query does), whatever the number of events an id has.
     */
    String sql(int ids) {
        String qualified = schema.map(s -> quote(s) + ".").orElse("") + quote(table);
        String lookup = "(select " + quote(sequenceNumberColumn) + " from " + qualified + " where "
                + quote(persistenceIdColumn) + " = ? order by " + quote(sequenceNumberColumn) + " desc limit 1)";
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < ids; i++) {
            sql.append(i == 0 ? "" : " union all ").append("select ").append(i).append(", ").append(lookup);
        }
        return sql.toString();
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
