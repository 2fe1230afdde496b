package org.switchboard.node.cdr;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import akka.util.ByteString;

import com.typesafe.config.Config;

/**
 * A period's call detail records as CSV, streamed from the database: the query runs on a connection of its own
 * that the stream closes, reading a page of rows at a time (PostgreSQL's cursor fetch, H2's result spilled to disk),
 * so a period of any size costs the node the same memory. The query is started before the answer goes out, so a
 * database that is down gets an error, not a 200 with nothing in it.
 */
public final class CdrExport {
    private static final Logger log = LoggerFactory.getLogger(CdrExport.class);
    /** Rows fetched from the database at a time, and CSV lines per HTTP chunk. */
    static final int FETCH = 500;

    private final Config journal;
    private final Executor blocking;

    /** @param journal the {@code switchboard.journal} section (url, user, password) */
    public CdrExport(Config journal, Executor blocking) {
        this.journal = journal;
        this.blocking = blocking;
    }

    /** The records whose start (else answer, else end) is in [{@code from}, {@code to}), oldest first, CSV. */
    public CompletionStage<Source<ByteString, NotUsed>> csv(Instant from, Instant to) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return open(from, to);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the CDRs: " + e.getMessage(), e);
            }
        }, blocking).thenApply(query -> Source.single(ByteString.fromString(CdrCsv.header(), StandardCharsets.UTF_8))
                .concat(Source.unfoldResource(() -> query, CdrExport::next, Query::close)
                        .grouped(FETCH)
                        .map(lines -> ByteString.fromString(String.join("", lines), StandardCharsets.UTF_8))));
    }

    private record Query(Connection connection, PreparedStatement statement, ResultSet rows) {
        void close() {
            try {
                connection.close(); // closes the statement and its rows
            } catch (SQLException e) {
                log.debug("closing the CDR export's connection: {}", e.toString());
            }
        }
    }

    private Query open(Instant from, Instant to) throws SQLException {
        Connection c = CdrDatabase.of(journal).open();
        try {
            c.setReadOnly(true);
            c.setAutoCommit(false); // PostgreSQL fetches by cursor only inside a transaction
            PreparedStatement st = c.prepareStatement(CdrTable.periodQuery());
            st.setFetchSize(FETCH);
            st.setLong(1, from.toEpochMilli());
            st.setLong(2, to.toEpochMilli());
            return new Query(c, st, st.executeQuery());
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    private static Optional<String> next(Query q) throws SQLException {
        return q.rows().next() ? Optional.of(CdrCsv.line(CdrTable.read(q.rows()))) : Optional.empty();
    }
}
