package org.switchboard.node;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.node.JournalCallRows.CallRow;
import org.switchboard.node.JournalCallRows.Row;
import org.switchboard.node.cdr.Cdr;
import org.switchboard.node.cdr.CdrDatabase;
import org.switchboard.node.cdr.CdrTable;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.ClusterSingletonSettings;
import akka.cluster.typed.SingletonActor;
import akka.serialization.SerializationExtension;

import com.typesafe.config.Config;

/**
 * The call detail records: a projection of the journal's call outcomes (answered, failed, transferred, ended) into
 * the {@code cdr} table, and the retention of call events. One per cluster (a singleton on the core nodes), reading
 * the journal's table by hand as the call sweeper does ({@link JournalCallRows}, {@link JournalCursor}: no tags,
 * which would slow every journal write down), a page at a time from the offset stored in the same database.
 *
 * <p>At least once: each page's records and the new offset are written in one transaction; the offset stored is
 * the highest ordering below which nothing is missing (a row that commits late is read when it appears), so a
 * restart, a crash or the singleton's move reads again from there, and the records, keyed by Call-ID and attempt
 * and merged field by field ({@link Cdr#merge}), come out the same. A failure restarts the writer, which starts
 * again from the stored offset.
 *
 * <p>A graceful stop of a core node asks the writer (wherever it runs) for one last read before the cluster is left,
 * so that the table holds every call that ended before the stop without waiting for the next start.
 *
 * <p>Retention: the journal rows of a call whose records have all been complete for {@code keep-call-events} are
 * deleted (its Call entity then recovers as a Call-ID never seen: a late request gets 481).
 */
final class CdrWriter {
    private static final Logger log = LoggerFactory.getLogger(CdrWriter.class);
    /** Journal rows per read; a full page is followed by the next at once. */
    static final int PAGE = 2000;
    /** Calls whose events are deleted per retention pass. */
    static final int DELETE_BATCH = 500;

    interface Command {
    }

    private record Tick() implements Command {
    }

    private record Stepped(int rows, int records, int deleted) implements Command {
    }

    private record Failed(Throwable cause) implements Command {
    }

    /** Read everything committed so far, then answer (also after a failed read: a stop must not wait on it). */
    record Flush(ActorRef<Done> replyTo) implements Command {
    }

    /** @param keepCallEvents how long a call's events are kept after its records are complete; zero: for ever */
    record Settings(Config journal, Duration interval, Duration keepCallEvents) {
        static Settings fromConfig(Config switchboard) {
            return new Settings(switchboard.getConfig("journal"), switchboard.getDuration("cdr.interval"),
                    switchboard.getDuration("cdr.keep-call-events"));
        }

        /** How often retention runs: a tenth of the time kept, between 1 s and 10 min. */
        Duration retentionInterval() {
            long tenth = keepCallEvents.toMillis() / 10;
            return Duration.ofMillis(Math.max(1000, Math.min(Duration.ofMinutes(10).toMillis(), tenth)));
        }
    }

    private CdrWriter() {
    }

    static void init(ActorSystem<?> system, Settings settings, String role) {
        Behavior<Command> writer = Behaviors.supervise(create(settings, Clock.systemUTC()))
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
        ActorRef<Command> proxy = ClusterSingleton.get(system).init(SingletonActor.of(writer, "cdr-writer")
                .withSettings(ClusterSingletonSettings.create(system).withRole(role)));
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        // before the shard regions stop: the writer is surely still running here, and every call that ended
        // before the stop is already in the journal
        Duration timeout = Duration.ofMillis(shutdown.timeout(CoordinatedShutdown.PhaseBeforeClusterShutdown()).toMillis())
                .minusMillis(500);
        shutdown.addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(), "cdr-flush", () ->
                AskPattern.<Command, Done>ask(proxy, Flush::new, timeout, system.scheduler())
                        .exceptionally(e -> {
                            log.warn("the CDR writer did not finish its last read before the stop: {}", e.toString());
                            return Done.getInstance();
                        }));
    }

    static Behavior<Command> create(Settings settings, Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ActorSystem<?> system = ctx.getSystem();
            Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
            Work work = new Work(settings, new JournalCallRows(settings.journal(), SerializationExtension.get(system),
                    JournalCallRows.OUTCOMES), clock);
            boolean[] busy = {false};
            boolean[] reset = {false};
            long[] retry = {0, 0}; // not before this (ms), and the pause after the last failure (ms)
            // flushes asked for before the running read started, and those asked for since
            List<ActorRef<Done>> flushing = new ArrayList<>();
            List<ActorRef<Done>> flushNext = new ArrayList<>();
            Runnable answerFlushes = () -> {
                flushing.forEach(r -> r.tell(Done.getInstance()));
                flushing.clear();
            };
            Runnable run = () -> {
                busy[0] = true;
                flushing.addAll(flushNext);
                flushNext.clear();
                boolean fresh = reset[0];
                reset[0] = false;
                ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> {
                    try {
                        if (fresh) {
                            work.reset();
                        }
                        return work.step();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }, blocking), (ok, failed) -> ok != null ? ok : new Failed(failed));
            };
            timers.startTimerWithFixedDelay(new Tick(), settings.interval());
            run.run();
            return Behaviors.receive(Command.class)
                    .onMessage(Tick.class, t -> {
                        if (!busy[0] && clock.millis() >= retry[0]) {
                            run.run();
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Flush.class, f -> {
                        flushNext.add(f.replyTo());
                        if (!busy[0]) {
                            run.run();
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Stepped.class, d -> {
                        busy[0] = false;
                        retry[1] = 0;
                        if (d.records() > 0) {
                            log.debug("CDR writer read {} journal row(s), wrote {} record(s)", d.rows(), d.records());
                        }
                        if (d.deleted() > 0) {
                            log.info("deleted the journal rows of {} call(s) whose CDRs are older than {}", d.deleted(),
                                    settings.keepCallEvents());
                        }
                        if (d.rows() == PAGE) {
                            run.run(); // catching up: the next page at once
                        } else {
                            answerFlushes.run();
                            if (!flushNext.isEmpty()) {
                                run.run();
                            }
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Failed.class, f -> {
                        // the cursor may be ahead of what was written: the next try starts again from the stored
                        // offset, after a pause that doubles up to 30 s. Handled here rather than by a supervisor's
                        // restart: a singleton in a restart back-off misses its stop and holds up the node's exit.
                        busy[0] = false;
                        reset[0] = true;
                        retry[1] = Math.min(30_000, Math.max(settings.interval().toMillis(), 2 * retry[1]));
                        retry[0] = clock.millis() + retry[1];
                        log.warn("CDR writer failed; tries again from its stored offset in {} ms: {}", retry[1],
                                String.valueOf(f.cause()));
                        answerFlushes.run();
                        flushNext.forEach(r -> r.tell(Done.getInstance()));
                        flushNext.clear();
                        return Behaviors.same();
                    })
                    .onSignal(PostStop.class, stop -> {
                        CompletableFuture.runAsync(work::close, blocking);
                        return Behaviors.same();
                    })
                    .onSignal(PreRestart.class, restart -> {
                        CompletableFuture.runAsync(work::close, blocking);
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    /** The blocking part, run on one thread at a time (the actor waits for each step's answer). */
    private static final class Work {
        private final Settings settings;
        private final JournalCallRows rows;
        private final Clock clock;
        private final boolean postgres;
        private final CdrDatabase database;
        private Optional<Connection> connection = Optional.empty();
        /** For the retention's deletes: the reader's connection is read-only. */
        private Optional<Connection> journalConnection = Optional.empty();
        private Optional<JournalCursor> cursor = Optional.empty();
        private long nextRetention;

        Work(Settings settings, JournalCallRows rows, Clock clock) {
            this.settings = settings;
            this.rows = rows;
            this.clock = clock;
            this.database = CdrDatabase.of(settings.journal());
            this.postgres = database.postgres();
        }

        Stepped step() throws SQLException {
            Connection c = connection();
            if (cursor.isEmpty()) {
                long offset = CdrTable.offset(c);
                cursor = Optional.of(new JournalCursor(CallSweeper.GAP_TIMEOUT, offset));
                log.info("CDR writer starts after journal ordering {}", offset);
            }
            JournalCursor at = cursor.get();
            long now = clock.millis();
            List<Long> recheck = at.missing(CallSweeper.RECHECK);
            List<Row> found = rows.withOrderings(recheck);
            List<Row> page = rows.after(at.highest(), PAGE);
            at.found(found.stream().map(Row::ordering).toList());
            at.read(page.stream().map(Row::ordering).toList(), now);
            at.expire(now);
            // in journal order: a late row found now is older than the page
            Map<CdrTable.Key, List<CallRow>> byRecord = new LinkedHashMap<>();
            for (List<Row> part : List.of(found, page)) {
                for (Row row : part) {
                    row.call().ifPresent(call -> Cdr.leg(call.event(), call.sequenceNr()).ifPresent(leg ->
                            byRecord.computeIfAbsent(new CdrTable.Key(call.callId(), leg), k -> new java.util.ArrayList<>())
                                    .add(call)));
                }
            }
            Map<CdrTable.Key, Cdr> existing = CdrTable.load(c, byRecord.keySet());
            List<Cdr> records = byRecord.entrySet().stream().map(e -> {
                Cdr r = existing.getOrDefault(e.getKey(), Cdr.empty(e.getKey().callId(), e.getKey().leg()));
                for (CallRow call : e.getValue()) {
                    r = r.merge(call.event());
                }
                return r;
            }).toList();
            CdrTable.write(c, postgres, records, at.safe());
            int deleted = 0;
            if (!settings.keepCallEvents().isZero() && now >= nextRetention) {
                nextRetention = now + settings.retentionInterval().toMillis();
                List<String> expired = CdrTable.expired(c, now - settings.keepCallEvents().toMillis(), DELETE_BATCH);
                if (!expired.isEmpty()) {
                    CdrTable.deleteEvents(journalConnection(), JournalCallRows.PREFIX, expired);
                    CdrTable.markEventsDeleted(c, expired);
                    deleted = expired.size();
                }
            }
            return new Stepped(page.size(), records.size(), deleted);
        }

        private Connection connection() throws SQLException {
            if (connection.isEmpty()) {
                connection = Optional.of(database.open());
            }
            return connection.get();
        }

        private Connection journalConnection() throws SQLException {
            if (journalConnection.isEmpty()) {
                Config j = settings.journal();
                journalConnection = Optional.of(DriverManager.getConnection(j.getString("url"), j.getString("user"),
                        j.getString("password")));
            }
            return journalConnection.get();
        }

        /** Forgets the connections and the cursor: the next step reads the stored offset again. */
        void reset() {
            close();
            cursor = Optional.empty();
        }

        void close() {
            rows.close();
            for (Optional<Connection> open : List.of(connection, journalConnection)) {
                open.ifPresent(c -> {
                    try {
                        c.close();
                    } catch (SQLException e) {
                        log.debug("closing a connection of the CDR writer: {}", e.toString());
                    }
                });
            }
            connection = Optional.empty();
            journalConnection = Optional.empty();
        }
    }
}
