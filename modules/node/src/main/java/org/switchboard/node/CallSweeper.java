package org.switchboard.node;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.session.CallDeadline;
import org.switchboard.session.CallEvent;
import org.switchboard.session.api.CallEntity;
import org.switchboard.session.api.CheckDeadline;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.ClusterSingletonSettings;
import akka.cluster.typed.SingletonActor;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.stream.KillSwitches;
import akka.stream.RestartSettings;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.RestartSource;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;

/**
 * Ends answered calls on time when no node holds them in memory: a call without a session timer sleeps
 * (passivated) while it talks, idle entities are passivated, and a failover or a rolling restart leaves every
 * call of the lost node asleep until its next request — which a call whose phones died never gets. One sweeper
 * per cluster (a cluster singleton on the core nodes) follows the journal's {@value CallDeadline#TAG} events
 * (answered, refreshed, ended), keeps when each answered call must end ({@link DeadlineIndex}) and, every
 * sweep interval, sends {@link CheckDeadline} through sharding to the calls that are due: the Call entity starts
 * where sharding has it, recovers, and ends the call with a BYE to both sides and its end record.
 *
 * <p>On start (and when the singleton moves) it reads the tag from the start of the journal, and sweeps only once
 * it has caught up, so a call whose end it has not read yet is not woken for nothing. That read is O(the journal's
 * call history) until the journal has a retention policy.
 */
final class CallSweeper {
    private static final Logger log = LoggerFactory.getLogger(CallSweeper.class);
    /** Wakes per sweep at most: a backlog (the sweeper was down for long) does not start every call at once. */
    static final int MAX_WAKES_PER_SWEEP = 1000;

    interface Command {
    }

    /** Tagged events (or the end of the journal as it was at start) from the stream; acknowledged for back-pressure. */
    private record Read(List<Item> items, ActorRef<Done> ack) implements Command {
    }

    private record Sweep() implements Command {
    }

    private sealed interface Item {
    }

    private record Tagged(String callId, CallEvent event) implements Item {
    }

    private record CaughtUp() implements Item {
    }

    private CallSweeper() {
    }

    /** Runs the sweeper as a singleton on the nodes of {@code role}. */
    static void init(ActorSystem<?> system, Duration maxCallDuration, Duration interval, String role) {
        Behavior<Command> sweeper = Behaviors.supervise(create(maxCallDuration, interval, Clock.systemUTC()))
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
        ClusterSingleton.get(system).init(SingletonActor.of(sweeper, "call-sweeper")
                .withSettings(ClusterSingletonSettings.create(system).withRole(role)));
    }

    static Behavior<Command> create(Duration maxCallDuration, Duration interval, Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ActorSystem<?> system = ctx.getSystem();
            DeadlineIndex index = new DeadlineIndex(maxCallDuration, interval.multipliedBy(6));
            UniqueKillSwitch stream = follow(system, ctx.getSelf());
            ClusterSharding sharding = ClusterSharding.get(system);
            timers.startTimerWithFixedDelay(new Sweep(), interval);
            boolean[] caughtUp = {false};
            return Behaviors.receive(Command.class)
                    .onMessage(Read.class, read -> {
                        for (Item item : read.items()) {
                            if (item instanceof Tagged t) {
                                index.apply(t.callId(), t.event());
                            } else if (!caughtUp[0]) {
                                caughtUp[0] = true;
                                log.info("call sweeper caught up with the journal: {} answered call(s) with a deadline",
                                        index.size());
                            }
                        }
                        read.ack().tell(Done.getInstance());
                        return Behaviors.same();
                    })
                    .onMessage(Sweep.class, sweep -> {
                        if (caughtUp[0]) {
                            List<String> due = index.wake(clock.millis(), MAX_WAKES_PER_SWEEP);
                            if (!due.isEmpty()) {
                                log.debug("call sweeper wakes {} call(s) that are due", due.size());
                            }
                            due.forEach(id -> sharding.entityRefFor(CallEntity.KEY, id).tell(new CheckDeadline()));
                        }
                        return Behaviors.same();
                    })
                    .onSignal(PostStop.class, stop -> {
                        stream.shutdown();
                        return Behaviors.same();
                    })
                    .onSignal(PreRestart.class, restart -> {
                        stream.shutdown(); // the restarted sweeper reads the journal again from its start
                        return Behaviors.same();
                    })
                    .build();
        }));
    }

    /**
     * The tagged events from the start of the journal, then a {@link CaughtUp}, then the live ones; a failed query
     * (the journal unreachable) starts again, with backoff, after the last event read.
     */
    private static UniqueKillSwitch follow(ActorSystem<?> system, ActorRef<Command> self) {
        JdbcReadJournal journal = PersistenceQuery.get(system)
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        AtomicReference<Offset> from = new AtomicReference<>(Offset.noOffset());
        boolean[] current = {true};
        Source<Item, NotUsed> items = RestartSource.withBackoff(
                RestartSettings.create(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2), () -> {
                    Source<Item, NotUsed> live = Source.lazySource(() -> journal.eventsByTag(CallDeadline.TAG, from.get())
                            .map(e -> item(e, from))).mapMaterializedValue(m -> NotUsed.getInstance());
                    if (!current[0]) {
                        return live;
                    }
                    return journal.currentEventsByTag(CallDeadline.TAG, from.get()).map(e -> item(e, from))
                            .concat(Source.lazySingle(() -> {
                                current[0] = false;
                                return (Item) new CaughtUp();
                            }))
                            .concat(live);
                });
        return items.filter(i -> !(i instanceof Tagged t) || t.event() != null)
                .groupedWithin(500, Duration.ofMillis(100))
                .mapAsync(1, batch -> AskPattern.<Command, Done>ask(self, ack -> new Read(List.copyOf(batch), ack),
                        Duration.ofSeconds(30), system.scheduler()))
                .viaMat(KillSwitches.single(), Keep.right())
                .to(Sink.ignore())
                .run(system);
    }

    private static Item item(EventEnvelope e, AtomicReference<Offset> from) {
        from.set(e.offset());
        String prefix = CallEntity.KEY.name() + "|";
        String callId = e.persistenceId().startsWith(prefix) ? e.persistenceId().substring(prefix.length())
                : e.persistenceId();
        return new Tagged(callId, e.event() instanceof CallEvent c ? c : null);
    }
}
