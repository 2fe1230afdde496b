package org.switchboard.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * The actor systems of entity tests: the persistence testkit's in-memory journal and snapshot store, and the
 * serializer binding of production (messages between nodes are JSON), so that the testkit's serialization check of
 * every command, event and state runs what a cluster runs. No JUnit 5 extension exists in Akka 2.8.5: create one in
 * {@code @BeforeAll} and shut it down in {@code @AfterAll}.
 */
public final class EntityTestKit {
    /** The binding of modules/node's reference.conf, the one that matters for entities. */
    private static final Config SERIALIZATION = ConfigFactory.parseString(
            "akka.actor.serialization-bindings { \"org.switchboard.transport.api.ClusterSerializable\" = jackson-json }");

    private EntityTestKit() {
    }

    /** Entity tests' configuration: in-memory journal, production serializer bindings. */
    public static Config config() {
        return EventSourcedBehaviorTestKit.config().withFallback(SERIALIZATION);
    }

    /** A test kit on the real scheduler. */
    public static ActorTestKit create(String name) {
        return ActorTestKit.create(name, config());
    }

    /**
     * A test kit whose timers run only when the test moves time ({@link SimulatedTime}): nothing a test checks depends
     * on how busy the machine is. Akka's ManualTime, on the {@link SteppedScheduler}.
     */
    public static ActorTestKit createInSimulatedTime(String name) {
        return ActorTestKit.create(name, ConfigFactory.parseString(
                "akka.scheduler.implementation = \"" + SteppedScheduler.class.getName() + "\"")
                .withFallback(ManualTime.config()).withFallback(config()));
    }
}
