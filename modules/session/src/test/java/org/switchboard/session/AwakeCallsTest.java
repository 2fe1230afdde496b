package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.session.api.AwakeCalls;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.api.CallEntity;
import org.switchboard.session.api.DirectSip;
import org.switchboard.session.api.HandleSip;
import org.switchboard.sip.SipMessage;
import org.switchboard.testkit.SipText;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;

import com.typesafe.config.ConfigFactory;

/**
 * How this node's edge reaches a call's entity, on a real one-node cluster whose Call entities report every command
 * they get: through sharding while no entity of the Call-ID is awake here, directly once one is, and through
 * sharding again — nothing lost — when the awake entity turns out to have stopped.
 */
class AwakeCallsTest {
    private static ActorTestKit kit;
    private static TestProbe<Object> viaSharding;

    @BeforeAll
    static void cluster() {
        kit = OneNodeCluster.start("awake-calls", ConfigFactory.load());
        viaSharding = kit.createTestProbe();
        OneNodeCluster.reportingEntities(kit, CallEntity.KEY, CallCommand.class, viaSharding);
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    private static final SipMessage BYE = SipText.parse("""
            BYE sip:b@127.0.0.1 SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.2;branch=z9hG4bK1
            From: <sip:a@x>;tag=1
            To: <sip:b@x>;tag=2
            Call-ID: c
            CSeq: 2 BYE
            Max-Forwards: 70
            Content-Length: 0

            """);

    private static Envelope envelope(String callId) {
        byte[] bytes = ("BYE sip:b@127.0.0.1 SIP/2.0\r\nCall-ID: " + callId + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return new Envelope(bytes, SipTransport.UDP, new Peer("127.0.0.2", 5060), new Peer("127.0.0.1", 5060),
                Optional.empty(), kit.<org.switchboard.transport.api.TransportCommand>createTestProbe().ref());
    }

    @Test
    void aCallWithNoEntityAwakeHereGoesThroughShardingAnAwakeOneIsReachedDirectly() {
        AwakeCalls calls = AwakeCalls.get(kit.system());
        Envelope first = envelope("c-1");
        calls.deliver("c-1", first, BYE);
        assertSame(first, ((HandleSip) viaSharding.receiveMessage(Duration.ofSeconds(10))).envelope());

        TestProbe<CallCommand> entity = kit.createTestProbe();
        calls.awake("c-1", entity.ref());
        Envelope next = envelope("c-1");
        calls.deliver("c-1", next, BYE);
        DirectSip direct = (DirectSip) entity.receiveMessage(Duration.ofSeconds(5));
        assertSame(next, direct.envelope());
        assertSame(BYE, direct.message(), "the edge's parse goes with it");
        assertEquals("c-1", direct.callId());
        viaSharding.expectNoMessage(Duration.ofMillis(200));

        // another entity's farewell does not remove this one; its own does
        calls.asleep("c-1", kit.<CallCommand>createTestProbe().ref());
        assertTrue(calls.find("c-1").isPresent());
        calls.asleep("c-1", entity.ref());
        assertTrue(calls.find("c-1").isEmpty());
        Envelope after = envelope("c-1");
        calls.deliver("c-1", after, BYE);
        assertSame(after, ((HandleSip) viaSharding.receiveMessage(Duration.ofSeconds(5))).envelope());
        entity.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    void aMessageForAnEntityThatStoppedMeanwhileIsRoutedAgainThroughSharding() {
        AwakeCalls calls = AwakeCalls.get(kit.system());
        ActorRef<CallCommand> gone = kit.spawn(Behaviors.stopped());
        TestProbe<Object> watcher = kit.createTestProbe();
        watcher.expectTerminated(gone, Duration.ofSeconds(5));
        calls.awake("c-2", gone); // the look-up raced with the entity's stop
        Envelope lost = envelope("c-2");
        calls.deliver("c-2", lost, BYE);
        assertSame(lost, ((HandleSip) viaSharding.receiveMessage(Duration.ofSeconds(10))).envelope(),
                "the message came back as a dead letter and went through sharding");
        calls.asleep("c-2", gone);
    }
}
