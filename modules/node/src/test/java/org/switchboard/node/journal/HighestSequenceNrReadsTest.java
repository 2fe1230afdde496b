package org.switchboard.node.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * {@link HighestSequenceNrReads} against a real database (H2 in memory, the journal's own table shape): asks made
 * together are answered by fewer statements, each with its own id's highest number (0 for an id never written),
 * and a database that cannot be reached fails the asks instead of answering 0.
 */
class HighestSequenceNrReadsTest {
    private static final String URL = "jdbc:h2:mem:highest-reads;DB_CLOSE_DELAY=-1";
    private final Counter statements = new SimpleMeterRegistry().counter("statements");
    private Connection keepAlive;

    @BeforeEach
    void journal() throws SQLException {
        keepAlive = DriverManager.getConnection(URL);
        try (Statement s = keepAlive.createStatement()) {
            s.execute("create table \"event_journal\" (\"persistence_id\" varchar(255) not null,"
                    + " \"sequence_number\" bigint not null, primary key (\"persistence_id\", \"sequence_number\"))");
        }
        try (PreparedStatement insert = keepAlive.prepareStatement("insert into \"event_journal\" values (?, ?)")) {
            for (int id = 0; id < 200; id++) {
                for (int seq = 1; seq <= id % 7; seq++) { // id 0, 7, 14... have none
                    insert.setString(1, "Call|" + id);
                    insert.setLong(2, seq);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Statement s = keepAlive.createStatement()) {
            s.execute("drop table \"event_journal\"");
        }
        keepAlive.close();
    }

    @Test
    void asksMadeTogetherShareStatementsAndEachGetsItsOwnHighestNumber() throws Exception {
        HighestSequenceNrReads reads = reads(() -> DriverManager.getConnection(URL));
        ExecutorService askers = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<CompletableFuture<Object>>> asked = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int id = i % 250; // 200..249 were never written
                asked.add(CompletableFuture.supplyAsync(() -> java(reads.highest("Call|" + id)), askers));
            }
            for (int i = 0; i < asked.size(); i++) {
                int id = i % 250;
                long expected = id < 200 ? id % 7 : 0;
                assertEquals(expected, asked.get(i).get(30, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS),
                        "Call|" + id);
            }
        } finally {
            askers.shutdownNow();
        }
        assertTrue(statements.count() < 1_000, "2,000 asks from 8 threads at once share statements: "
                + statements.count() + " statements");
        assertTrue(statements.count() >= 2_000.0 / HighestSequenceNrReads.MAX_BATCH, "at most a batch per statement");
    }

    @Test
    void aLoneAskIsReadAtOnceWithOneStatement() throws Exception {
        HighestSequenceNrReads reads = reads(() -> DriverManager.getConnection(URL));
        assertEquals(6L, java(reads.highest("Call|13")).get(10, TimeUnit.SECONDS));
        assertEquals(0L, java(reads.highest("Call|nobody")).get(10, TimeUnit.SECONDS));
        assertEquals(2.0, statements.count());
    }

    @Test
    void aDatabaseThatCannotBeReachedFailsTheAsks() {
        HighestSequenceNrReads reads = reads(() -> DriverManager.getConnection("jdbc:h2:mem:nothing-here;IFEXISTS=TRUE"));
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> java(reads.highest("Call|1")).get(10, TimeUnit.SECONDS));
        assertInstanceOf(SQLException.class, failed.getCause());
        // and it reads again for the next ask: a failed read does not leave the reader stuck
        assertThrows(ExecutionException.class, () -> java(reads.highest("Call|2")).get(10, TimeUnit.SECONDS));
    }

    private HighestSequenceNrReads reads(HighestSequenceNrReads.Connections connections) {
        return new HighestSequenceNrReads(connections, Optional.empty(), "event_journal", "persistence_id", "sequence_number", statements);
    }

    private static CompletableFuture<Object> java(Future<Object> future) {
        return FutureConverters.asJava(future).toCompletableFuture();
    }
}
