package org.switchboard.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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
    void aLonePersistIsNotHeldForTheInterval() throws Exception {
        start("20ms");
        ActorRef<Append> entity = system.systemActorOf(Counter.create("alone"), "alone",
                Props.empty());
        ask(entity).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(1, journalRows("alone"));
    }

    private void start(String interval) throws Exception {
        Path data = Files.createTempDirectory("group-commit");
        config = ConfigFactory.parseString("akka.actor.provider = local\nakka.coordinated-shutdown.exit-jvm = off\n"
                + "switchboard.journal.commit-interval = " + interval)
                .withFallback(NodeConfig.load(CommandLine.parse("--data", data.toString())));
        JournalSchema.ensure(config);
        system = ActorSystem.create(Behaviors.empty(), "group-commit", config);
    }

    private CompletionStage<Done> ask(ActorRef<Append> entity) {
        return AskPattern.ask(entity, Append::new, Duration.ofSeconds(20), system.scheduler());
    }

    private double meter(String name) {
        return MetricsContext.get(Adapter.toClassic(system)).registry().get(name).counter().count();
    }

    private int journalRows(String persistenceIds) throws Exception {
        Config j = config.getConfig("switchboard.journal");
        try (Connection c = DriverManager.getConnection(j.getString("url"), j.getString("user"),
                j.getString("password"));
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
