package org.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.node.journal.GroupCommitJournalDao;
import org.switchboard.node.metrics.MetricsContext;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * {@link GroupCommitJournalDao} in the node's journal (embedded H2, the node's own settings): persists that come
 * one by one a millisecond apart share transactions, a lone persist is not held back, and every persist
 * acknowledged is in the journal.
 */
class GroupCommitJournalDaoTest {
    private ActorSystem<Void> system;
    private Config config;

    @AfterEach
    void stop() {
        if (system != null) {
            system.terminate();
        }
    }

    @Test
    void persistsThatComeAMillisecondApartShareCommitsAndAllAreWritten() throws Exception {
        start("20ms");
        List<ActorRef<Append>> entities = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            entities.add(system.systemActorOf(Counter.create("paced-" + i), "paced-" + i,
                    Props.empty()));
        }
        for (ActorRef<Append> entity : entities) { // recovered and written once before the measured load
            ask(entity).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        double commitsBefore = meter("switchboard.journal.commits");
        double eventsBefore = meter("switchboard.journal.events");
        long start = System.nanoTime();
        List<CompletableFuture<Done>> acks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            acks.add(ask(entities.get(i % entities.size())).toCompletableFuture());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the load's pace, not a wait for a result
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(220, journalRows("paced-%"), "every acknowledged persist is in the journal");
        double commits = meter("switchboard.journal.commits") - commitsBefore;
        assertEquals(200, meter("switchboard.journal.events") - eventsBefore);
        assertTrue(commits <= elapsedMillis / 20 + 1, "200 persists a millisecond apart share writes that start at "
                + "least 20 ms apart (unpaced, H2 commits them one or two at a time): " + commits + " writes in "
                + elapsedMillis + " ms");
    }

    @Test
    void recoveriesStartedTogetherShareReadsAndResumeAfterTheirLastEvent() throws Exception {
        Path data = start("3ms");
        for (int i = 0; i < 30; i++) { // written before a restart: i % 3 + 1 events each
            ActorRef<Append> first = system.systemActorOf(Counter.create("resumed-" + i), "first-" + i, Props.empty());
            for (int e = 0; e <= i % 3; e++) {
                ask(first).toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        start("3ms", data);
        List<CompletableFuture<Done>> acks = new ArrayList<>();
        for (int i = 0; i < 30; i++) { // the same ids again, and 170 new ones, all recovering at once
            acks.add(ask(system.systemActorOf(Counter.create("resumed-" + i), "again-" + i, Props.empty()))
                    .toCompletableFuture());
        }
        for (int i = 0; i < 170; i++) {
            acks.add(ask(system.systemActorOf(Counter.create("new-" + i), "new-" + i, Props.empty()))
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        // a recovery that started from a wrong number would have written a duplicate key or left a gap
        for (int i = 0; i < 30; i++) {
            assertEquals(i % 3 + 2, journalRows("resumed-" + i), "resumed-" + i);
            assertEquals(i % 3 + 2, highestSequenceNr("resumed-" + i), "resumed-" + i);
        }
        assertEquals(170, journalRows("new-%"));
        double reads = meter("switchboard.journal.recovery.reads"); // the restarted node's journal: these only
        assertTrue(reads < 200, "200 recoveries at once share statements: " + reads);
    }

    @Test
    void aLonePersistIsNotHeldForTheInterval() throws Exception {
        start("20ms");
        ActorRef<Append> entity = system.systemActorOf(Counter.create("alone"), "alone",
                Props.empty());
        ask(entity).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1, journalRows("alone"));
    }

    private Path start(String interval) throws Exception {
        return start(interval, Files.createTempDirectory("group-commit"));
    }

    private Path start(String interval, Path data) throws Exception {
        config = ConfigFactory.parseString("akka.actor.provider = local\nakka.coordinated-shutdown.exit-jvm = off\n"
                + "switchboard.journal.commit-interval = " + interval)
                .withFallback(NodeConfig.load(CommandLine.parse("--data", data.toString())));
        JournalSchema.ensure(config);
        system = ActorSystem.create(Behaviors.empty(), "group-commit", config);
        return data;
    }

    private CompletionStage<Done> ask(ActorRef<Append> entity) {
        return AskPattern.ask(entity, Append::new, Duration.ofSeconds(20), system.scheduler());
    }

    private long highestSequenceNr(String persistenceId) throws Exception {
        try (Connection c = connection(); PreparedStatement max = c.prepareStatement(
                "select max(\"sequence_number\") from \"event_journal\" where \"persistence_id\" = ?")) {
            max.setString(1, persistenceId);
            try (ResultSet rs = max.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Connection connection() throws Exception {
        Config j = config.getConfig("switchboard.journal");
        return DriverManager.getConnection(j.getString("url"), j.getString("user"), j.getString("password"));
    }

    private double meter(String name) {
        return MetricsContext.get(Adapter.toClassic(system)).registry().get(name).counter().count();
    }

    private int journalRows(String persistenceIds) throws Exception {
        try (Connection c = connection();
                ResultSet rs = c.createStatement().executeQuery(
                        "select count(*) from \"event_journal\" where \"persistence_id\" like '" + persistenceIds
                                + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    record Append(ActorRef<Done> replyTo) {
    }

    /** A persistent counter: each {@link Append} is one event, acknowledged once written. */
    static final class Counter extends EventSourcedBehavior<Append, String, Integer> {
        static Behavior<Append> create(String id) {
            return new Counter(id);
        }

        private Counter(String id) {
            super(PersistenceId.ofUniqueId(id));
        }

        @Override
        public Integer emptyState() {
            return 0;
        }

        @Override
        public CommandHandler<Append, String, Integer> commandHandler() {
            return (state, append) -> Effect().persist("appended").thenReply(append.replyTo(), s -> Done.getInstance());
        }

        @Override
        public EventHandler<Integer, String> eventHandler() {
            return (state, event) -> state + 1;
        }
    }
}
