package org.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipResponse;
import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.FlowOwners;
import org.switchboard.transport.api.FlowTokens;
import org.switchboard.transport.api.PassedOn;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.api.TransportCommand;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import io.netty.bootstrap.Bootstrap;

/**
 * Where a message for a flow goes (RFC 5626 §5.3): to the transport node that holds the flow, once; when the flow
 * is gone, a request is answered 430 into the cluster as if the destination had said so, and nothing else is sent.
 * No connection is opened in any of these cases (the connector here has no event loop: using it would fail).
 */
class OutboundTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final String SELF = "00000001";
    private static final String OTHER = "00000002";
    private static final Peer PHONE = new Peer("192.0.2.7", 40312);

    private final EdgeCounters counters = new EdgeCounters();
    private final TestProbe<TransportCommand> owner = testKit.createTestProbe();
    private final TestProbe<TransportCommand> self = testKit.createTestProbe();
    private final List<Envelope> routed = new CopyOnWriteArrayList<>();
    private final List<SipMessage> routedMessages = new CopyOnWriteArrayList<>();
    private final FlowOwners owners = id -> id.equals(OTHER) ? Optional.of(owner.ref()) : Optional.empty();
    private final Outbound outbound = new Outbound(() -> null, new Flows(SELF), new Bootstrap(), d -> new Bootstrap(), counters, owners,
            new FailedRequests((envelope, message) -> {
                routed.add(envelope);
                routedMessages.add(message);
            }, self::ref, new Peer("10.0.0.1", 5060), counters), 1300);

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void aSendForAnotherNodesFlowIsPassedOnToItOnce() {
        Send send = send(invite(), FlowTokens.token(OTHER, true, "c0ffee01"));
        outbound.send(send);
        assertEquals(new PassedOn(send), owner.receiveMessage());
        assertEquals(1, counters.flowsForwarded.sum());
        assertTrue(routed.isEmpty());
    }

    @Test
    void aRequestForAFlowWhoseNodeIsGoneIsAnswered430AsIfFromTheDestination() {
        outbound.send(send(invite(), FlowTokens.token("0000dead", true, "c0ffee01")));
        assertEquals(1, routed.size());
        Envelope e = routed.get(0);
        assertEquals(PHONE, e.remote());
        assertEquals(SipTransport.TCP, e.transport());
        assertEquals(self.ref(), e.replyTo());
        SipResponse answer = assertInstanceOf(SipResponse.class, routedMessages.get(0));
        assertEquals(430, answer.status());
        assertEquals("z9hG4bKsbours", answer.topVia().branch().orElseThrow(), "it answers our fork");
        assertTrue(answer.to().tag().isPresent());
        assertEquals(answer.bytes().length, e.bytes().length);
        owner.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void aPassedOnSendForAClosedConnectionIsAnsweredHereNotPassedOnAgain() {
        outbound.send(send(invite(), FlowTokens.token(OTHER, true, "c0ffee01")), false);
        assertEquals(430, ((SipResponse) routedMessages.get(0)).status());
        owner.expectNoMessage(Duration.ofMillis(50));
        outbound.send(send(invite(), FlowTokens.token(SELF, true, "c0ffee02")));
        assertEquals(2, routed.size(), "a closed connection of this node's own");
    }

    @Test
    void anAckOrAResponseForAGoneFlowIsDroppedAndCounted() {
        outbound.send(send(invite().replace("INVITE sip:", "ACK sip:").replace("1 INVITE", "1 ACK"),
                FlowTokens.token(SELF, true, "c0ffee03")));
        outbound.send(send("SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 192.0.2.7:40312;branch=z9hG4bKphone\r\n"
                + "From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>;tag=2\r\nCall-ID: c1\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n",
                FlowTokens.token(SELF, true, "c0ffee04")));
        assertTrue(routed.isEmpty());
        assertEquals(2, counters.undeliverableDropped.sum());
    }

    private static Send send(String message, String flow) {
        return new Send(message.getBytes(StandardCharsets.US_ASCII),
                new Destination(SipTransport.TCP, PHONE, Optional.of(flow)));
    }

    private static String invite() {
        return "INVITE sip:bob@192.0.2.7:40312;transport=tcp SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKsbours\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.9:5070;branch=z9hG4bKcaller\r\n"
                + "Max-Forwards: 69\r\nFrom: <sip:alice@x>;tag=1\r\nTo: <sip:bob@x>\r\nCall-ID: c1\r\n"
                + "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
    }
}
