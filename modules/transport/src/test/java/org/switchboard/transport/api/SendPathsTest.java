package org.switchboard.transport.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;

/**
 * A send to this JVM's registered send path is written on the sender's own thread and never reaches the actor; a
 * send to any other is told to it; a writer that fails does not fail the sender.
 */
class SendPathsTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final Send SEND = new Send("OPTIONS sip:x SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            new Destination(SipTransport.UDP, new Peer("127.0.0.2", 5060), Optional.empty()));

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aSendToTheRegisteredPathIsWrittenOnTheSendersThreadAndAnyOtherIsTold() {
        TestProbe<TransportCommand> local = testKit.createTestProbe();
        TestProbe<TransportCommand> remote = testKit.createTestProbe();
        List<Thread> writers = new CopyOnWriteArrayList<>();
        List<Send> written = new CopyOnWriteArrayList<>();
        SendPaths.register(local.ref(), send -> {
            writers.add(Thread.currentThread());
            written.add(send);
        });
        try {
            SendPaths.send(local.ref(), SEND);
            assertEquals(List.of(SEND), written);
            assertSame(Thread.currentThread(), writers.get(0));
            local.expectNoMessage(Duration.ofMillis(200));

            SendPaths.send(remote.ref(), SEND);
            assertSame(SEND, remote.expectMessageClass(Send.class));
            assertEquals(1, written.size());
        } finally {
            SendPaths.remove(local.ref());
        }
        SendPaths.send(local.ref(), SEND);
        assertSame(SEND, local.expectMessageClass(Send.class), "once removed, the actor is told again");
    }

    @Test
    void aWriterThatThrowsDoesNotFailTheSender() {
        TestProbe<TransportCommand> local = testKit.createTestProbe();
        SendPaths.register(local.ref(), send -> {
            throw new IllegalStateException("listeners closed");
        });
        try {
            SendPaths.send(local.ref(), SEND); // no exception
            local.expectNoMessage(Duration.ofMillis(100));
        } finally {
            SendPaths.remove(local.ref());
        }
    }
}
