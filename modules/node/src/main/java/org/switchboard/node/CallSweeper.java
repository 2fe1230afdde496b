package org.switchboard.node;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.node.JournalCallRows.Row;
import org.switchboard.session.api.CallEntity;
import org.switchboard.session.api.CheckDeadline;
import org.switchboard.transport.api.ClusterSerializable;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.ClusterSingletonSettings;
import akka.cluster.typed.SingletonActor;
import akka.serialization.SerializationExtension;

import com.typesafe.config.Config;

/**
 * Ends answered calls on time when no node holds them in memory: a call without a session timer sleeps
 * (passivated) while it talks, idle entities are passivated, and a failover or a rolling restart leaves every
 * call of the lost node asleep until its next request — which a call whose phones died never gets. One sweeper
 * per cluster (a cluster singleton on the core nodes) reads the journal's call events that open, move and close a
 * deadline (answered, refreshed, ended: {@link JournalCallRows}) into a Call-ID → deadline index
 * ({@link DeadlineIndex}) and, every sweep interval, sends {@link CheckDeadline} through sharding to the calls that
 * are due: the Call entity starts where sharding has it, recovers, and ends the call with a BYE to both sides and
 * its end record.
 *
 * <p>On start (and when the singleton moves) it reads from the start of the journal, a page at a time, and sweeps
 * only once it has caught up, so a call whose end it has not read yet is not woken for nothing. That read is
 * O(the journal's history): the calls of the last {@code switchboard.cdr.keep-call-events} ({@link CdrWriter}). Rows that commit after rows written later are
 * not lost ({@link JournalCursor}).
 */
public final class CallSweeper {
    private static final Logger log = LoggerFactory.getLogger(CallSweeper.class);
    /** Wakes per sweep at most: a backlog (the sweeper was down for long) does not start every call at once. */
    static final int MAX_WAKES_PER_SWEEP = 1000;
    /** Journal rows per read; a full page is followed by the next one at once (catching up). */
    static final int PAGE = 5000;
    /** Missing rows asked for again per read. */
    static final int RECHECK = 1000;
    /** How long a missing ordering is waited for: longer than any journal write may take to commit. */
    static final Duration GAP_TIMEOUT = Duration.ofSeconds(60);
    /** Reads at least this often, so that each is small: a second's calls, not a sweep interval's at once. */
    static final Duration MAX_READ_INTERVAL = Duration.ofSeconds(1);

    public interface Command {
    }

    /** The calls that are up, longest first, at most {@code limit} (the admin API's list). */
    public record ListCalls(int limit, ActorRef<CallsUp> replyTo) implements Command, ClusterSerializable {
    }

    /**
     * @param calls    Call-ID to answer time, longest first
     * @param caughtUp whether the sweeper has read the whole journal yet (if not, the list may lack calls)
     */
    public record CallsUp(List<CallUp> calls, boolean caughtUp) implements ClusterSerializable {
        public CallsUp {
            calls = List.copyOf(calls);
        }
    }

    public record CallUp(String callId, long answeredAtMillis) implements ClusterSerializable {
    }

    /** How many calls are up in the cluster (the metrics' gauge, asked every few seconds by every node). */
    public record CountCalls(ActorRef<CallCount> replyTo) implements Command, ClusterSerializable {
    }

    /** @param caughtUp whether the sweeper has read the whole journal yet (if not, calls may be missing) */
    public record CallCount(int up, boolean caughtUp) implements ClusterSerializable {
    }

    /** Wake the calls that are due. */
    private record Tick() implements Command {
    }

    /** Read what the journal has gained since the last read. */
    private record ReadTick() implements Command {
    }

    private record Read(List<Row> rows, List<Long> rechecked, List<Row> found) implements Command {
    }

    private record ReadFailed(Throwable cause) implements Command {
    }

    private CallSweeper() {
    }

    /**
     * Runs the sweeper as a singleton on the nodes of {@code role}; on any node, the reference through which it is
     * reached wherever it runs.
     */
    static ActorRef<Command> init(ActorSystem<?> system, Config journal, Duration maxCallDuration, Duration interval,
                                  String role) {
        Behavior<Command> sweeper = Behaviors.supervise(create(journal, maxCallDuration, interval, Clock.systemUTC()))
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
        return ClusterSingleton.get(system).init(SingletonActor.of(sweeper, "call-sweeper")
                .withSettings(ClusterSingletonSettings.create(system).withRole(role)));
    }

    static Behavior<Command> create(Config journal, Duration maxCallDuration, Duration interval, Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ActorSystem<?> system = ctx.getSystem();
            JournalCallRows journalRows = new JournalCallRows(journal, SerializationExtension.get(system));
            Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
            DeadlineIndex index = new DeadlineIndex(maxCallDuration, interval.multipliedBy(6));
            JournalCursor cursor = new JournalCursor(GAP_TIMEOUT);
            ClusterSharding sharding = ClusterSharding.get(system);
            boolean[] caughtUp = {false};
            boolean[] reading = {false};
            Runnable read = () -> {
                reading[0] = true;
                long after = cursor.highest();
                List<Long> recheck = cursor.missing(RECHECK);
                ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> {
                    try {
                        return new Read(journalRows.after(after, PAGE), recheck, journalRows.withOrderings(recheck));
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }, blocking), (ok, failed) -> ok != null ? ok : new ReadFailed(failed));
            };
            timers.startTimerWithFixedDelay(new Tick(), interval);
            timers.startTimerWithFixedDelay(new ReadTick(),
                    interval.compareTo(MAX_READ_INTERVAL) < 0 ? interval : MAX_READ_INTERVAL);
            read.run();
            return Behaviors.receive(Command.class)
                    .onMessage(Read.class, r -> {
                        reading[0] = false;
                        long now = clock.millis();
                        r.found().forEach(row -> apply(index, row));
                        cursor.found(r.found().stream().map(Row::ordering).toList());
                        r.rows().forEach(row -> apply(index, row));
                        cursor.read(r.rows().stream().map(Row::ordering).toList(), now);
                        cursor.expire(now);
                        if (r.rows().size() == PAGE) {
                            read.run(); // catching up: the next page at once
                        } else if (!caughtUp[0]) {
                            caughtUp[0] = true;
                            log.info("call sweeper caught up with the journal: {} answered call(s) with a deadline",
                                    index.size());
                        }
                        return Behaviors.same();
                    })
                    .onMessage(ReadFailed.class, f -> {
                        reading[0] = false;
                        log.warn("call sweeper cannot read the journal (tries again in {}): {}", interval,
                                f.cause().toString());
                        return Behaviors.same();
                    })
                    .onMessage(Tick.class, tick -> {
                        if (caughtUp[0]) {
                            List<String> due = index.wake(clock.millis(), MAX_WAKES_PER_SWEEP);
                            if (!due.isEmpty()) {
                                log.debug("call sweeper wakes {} call(s) that are due", due.size());
                            }
                            due.forEach(id -> sharding.entityRefFor(CallEntity.KEY, id).tell(new CheckDeadline()));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(ListCalls.class, list -> {
                        list.replyTo().tell(new CallsUp(index.up(Math.max(0, list.limit())).stream()
                                .map(u -> new CallUp(u.callId(), u.answeredAtMillis())).toList(), caughtUp[0]));
                        return Behaviors.same();
                    })
                    .onMessage(CountCalls.class, count -> {
                        count.replyTo().tell(new CallCount(index.size(), caughtUp[0]));
                        return Behaviors.same();
                    })
                    .onMessage(ReadTick.class, tick -> {
                        if (!reading[0]) {
                            read.run();
                        }
                        return Behaviors.same();
                    })
                    .onSignal(PostStop.class, stop -> {
                        CompletableFuture.runAsync(journalRows::close, blocking);
                        return Behaviors.same();
                    })
                    .onSignal(PreRestart.class, restart -> {
                        CompletableFuture.runAsync(journalRows::close, blocking); // the next one reads from the start
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    private static void apply(DeadlineIndex index, Row row) {
        row.call().ifPresent(c -> index.apply(c.callId(), c.event()));
    }
}
