package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.registrar.api.AwakeRegistrations;
import org.switchboard.registrar.api.CallFinished;
import org.switchboard.registrar.api.DirectCommand;
import org.switchboard.registrar.api.Lookup;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.registrar.api.RegistrationCommand;
import org.switchboard.registrar.api.RegistrationEntity;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;

import com.typesafe.config.ConfigFactory;

/**
 * How a Call's questions reach a Registration entity, on a real one-node cluster whose Registration entities report
 * every command they get: straight to the entity when it is awake here, and through sharding — nothing lost, the
 * asker still answered — when the awake entity turns out to have stopped.
 */
class AwakeRegistrationsTest {
    private static ActorTestKit kit;
    private static TestProbe<Object> viaSharding;

    @BeforeAll
    static void cluster() {
        kit = OneNodeCluster.start("awake-registrations", ConfigFactory.load());
        viaSharding = kit.createTestProbe();
        OneNodeCluster.reportingEntities(kit, RegistrationEntity.KEY, RegistrationCommand.class, viaSharding);
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void aCommandForAnAwakeRegistrationGoesStraightToIt() {
        AwakeRegistrations registrations = AwakeRegistrations.get(kit.system());
        TestProbe<RegistrationCommand> entity = kit.createTestProbe();
        registrations.awake("sip:bob@awake.example.com", entity.ref());
        DirectCommand finished = new DirectCommand("sip:bob@awake.example.com", new CallFinished("c-1"));
        registrations.deliver(finished);
        assertSame(finished, entity.receiveMessage(Duration.ofSeconds(5)));
        viaSharding.expectNoMessage(Duration.ofMillis(200));
        registrations.asleep("sip:bob@awake.example.com", entity.ref());
    }

    @Test
    void aQuestionForARegistrationThatStoppedMeanwhileGoesThroughShardingAndIsAnswered() {
        AwakeRegistrations registrations = AwakeRegistrations.get(kit.system());
        ActorRef<RegistrationCommand> gone = kit.spawn(Behaviors.stopped());
        kit.createTestProbe().expectTerminated(gone, Duration.ofSeconds(5));
        registrations.awake("sip:carol@gone.example.com", gone); // the look-up raced with the entity's stop
        TestProbe<LookupResult> asker = kit.createTestProbe();
        Lookup lookup = new Lookup(asker.ref());
        gone.tell(new DirectCommand("sip:carol@gone.example.com", lookup));
        assertEquals(lookup, viaSharding.receiveMessage(Duration.ofSeconds(10)),
                "the question came back as a dead letter and went through sharding as itself, its reply-to intact");
        registrations.asleep("sip:carol@gone.example.com", gone);
    }
}
