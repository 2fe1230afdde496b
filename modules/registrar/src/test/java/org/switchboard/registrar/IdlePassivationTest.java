package org.switchboard.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.registrar.api.IdlePassivation;
import org.switchboard.testkit.EntityTestKit;
import org.switchboard.testkit.SimulatedTime;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * An entity fed directly by the edge, which sharding does not see, passivates itself: not while messages keep
 * coming, however long past the idle timeout, and one timeout after the last of them.
 */
class IdlePassivationTest {
    @RegisterExtension
    static final EntityTestKit testKit = EntityTestKit.simulatedTime("idle-passivation");

    private static final Duration IDLE = Duration.ofSeconds(120);

    private sealed interface Command {
    }

    private record Message(ActorRef<Boolean> handled) implements Command {
    }

    private record Check() implements Command {
    }

    private static Behavior<Command> entity(TestProbe<ClusterSharding.ShardCommand> shard, SimulatedTime time) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            IdlePassivation<Command> idle = new IdlePassivation<>(ctx, timers, Optional.of(shard.ref()), IDLE,
                    time.clock(), new Check());
            idle.start();
            return Behaviors.receive(Command.class)
                    .onMessage(Check.class, c -> {
                        idle.check();
                        return Behaviors.same();
                    })
                    .onMessage(Message.class, m -> {
                        idle.active();
                        m.handled().tell(true);
                        return Behaviors.same();
                    }).build();
        }));
    }

    @Test
    void anEntityFedPastTheTimeoutStaysAndGoesOneTimeoutAfterItsLastMessage() {
        SimulatedTime time = testKit.time();
        TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
        TestProbe<Boolean> handled = testKit.createTestProbe();
        ActorRef<Command> entity = testKit.spawn(entity(shard, time));

        for (int second = 0; second < 300; second += 10) { // a message every 10 s for 5 minutes
            entity.tell(new Message(handled.ref()));
            handled.receiveMessage();
            time.advance(Duration.ofSeconds(10));
            time.settle();
        }
        shard.expectNoMessage(Duration.ofMillis(50));

        for (int quiet = 20; quiet <= 110; quiet += 10) { // the last message came 10 s ago: up to 110 s
            time.advance(Duration.ofSeconds(10));
            time.settle();
        }
        shard.expectNoMessage(Duration.ofMillis(50));
        time.advance(Duration.ofSeconds(10));
        ClusterSharding.ShardCommand passivate = shard.receiveMessage(Duration.ofSeconds(5));
        assertEquals(new ClusterSharding.Passivate<>(entity), passivate, "asks its shard to passivate it");
    }

    @Test
    void anEntityNeverFedGoesAfterOneTimeout() {
        SimulatedTime time = testKit.time();
        TestProbe<ClusterSharding.ShardCommand> shard = testKit.createTestProbe();
        ActorRef<Command> entity = testKit.spawn(entity(shard, time));
        TestProbe<Boolean> handled = testKit.createTestProbe();
        entity.tell(new Message(handled.ref()));
        handled.receiveMessage(); // started
        time.advance(IDLE);
        assertEquals(new ClusterSharding.Passivate<>(entity), shard.receiveMessage(Duration.ofSeconds(5)));
    }
}
