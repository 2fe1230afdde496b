package org.switchboard.testkit;

import java.util.Optional;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * The actor system of an entity test class, as a JUnit 5 extension (Akka 2.8.5 ships none): started before the
 * class's first test, shut down after its last. It has the persistence testkit's in-memory journal and snapshot
 * store, and the serializer binding of production (messages between nodes are JSON), so that the testkit's
 * serialization check of every command, event and state runs what a cluster runs.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EntityTestKit testKit = EntityTestKit.simulatedTime("calls");
 * }</pre>
 */
public final class EntityTestKit implements BeforeAllCallback, AfterAllCallback {
    /** The binding of modules/node's reference.conf, the one that matters for entities. */
    private static final Config SERIALIZATION = ConfigFactory.parseString(
            "akka.actor.serialization-bindings { \"org.switchboard.transport.api.ClusterSerializable\" = jackson-json }");

    /**
     * The journal serializes every event it stores. The behaviour test kit turns this off in its configuration
     * because it checks every command, event and state itself; an entity spawned as sharding spawns it has no such
     * check, so the journal's is the one that catches an event that would not cross to another node.
     */
    private static final Config SERIALIZING_JOURNAL = ConfigFactory.parseString(
            "akka.persistence.testkit.events.serialize = on");

    private final String name;
    private final boolean simulated;
    private final Config overrides;
    private Optional<ActorTestKit> running = Optional.empty();
    private Optional<SimulatedTime> time = Optional.empty();

    private EntityTestKit(String name, boolean simulated, Config overrides) {
        this.name = name;
        this.simulated = simulated;
        this.overrides = overrides;
    }

    /** Timers run in real time. */
    public static EntityTestKit realTime(String name) {
        return new EntityTestKit(name, false, ConfigFactory.empty());
    }

    /**
     * Timers run only when the test moves time ({@link #time()}): nothing a test checks depends on how busy the
     * machine is. Akka's ManualTime, on the {@link SteppedScheduler}.
     */
    public static EntityTestKit simulatedTime(String name) {
        return new EntityTestKit(name, true, ConfigFactory.empty());
    }

    /**
     * The same kit, whose journal serializes every event it stores: for entities spawned with {@link #spawn} rather
     * than run under {@code EventSourcedBehaviorTestKit}, whose own serialization check is then missing.
     */
    public EntityTestKit serializingJournal() {
        return new EntityTestKit(name, simulated, SERIALIZING_JOURNAL.withFallback(overrides));
    }

    /** Entity tests' configuration: in-memory journal, production serializer bindings. */
    public static Config config() {
        return EventSourcedBehaviorTestKit.config().withFallback(SERIALIZATION);
    }

    /** The configuration of {@link #simulatedTime}: ManualTime on the {@link SteppedScheduler}. */
    public static Config simulatedTimeConfig() {
        return ConfigFactory.parseString("akka.scheduler.implementation = \"" + SteppedScheduler.class.getName() + "\"")
                .withFallback(ManualTime.config()).withFallback(config());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (running.isPresent()) {
            throw new IllegalStateException("the actor system " + name + " is already running: one test class at a time");
        }
        ActorTestKit kit = ActorTestKit.create(name, overrides.withFallback(simulated ? simulatedTimeConfig() : config()));
        running = Optional.of(kit);
        time = simulated ? Optional.of(SimulatedTime.of(kit.system())) : Optional.empty();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        running.ifPresent(ActorTestKit::shutdownTestKit);
        running = Optional.empty();
        time = Optional.empty();
    }

    /** Akka's test kit, for what this class does not pass on. */
    public ActorTestKit testKit() {
        return running.orElseThrow(() -> new IllegalStateException(
                "the actor system " + name + " is not running: register the extension with @RegisterExtension on a static field"));
    }

    public ActorSystem<Void> system() {
        return testKit().system();
    }

    public <T> TestProbe<T> createTestProbe() {
        return testKit().createTestProbe();
    }

    public <T> ActorRef<T> spawn(Behavior<T> behavior) {
        return testKit().spawn(behavior);
    }

    /** The simulated time of a kit made by {@link #simulatedTime}. */
    public SimulatedTime time() {
        testKit();
        return time.orElseThrow(() -> new IllegalStateException("the actor system " + name + " runs in real time"));
    }
}
