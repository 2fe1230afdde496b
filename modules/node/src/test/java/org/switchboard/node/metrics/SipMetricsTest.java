package org.switchboard.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.testkit.TestClock;
import org.switchboard.transport.api.SipTransport;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class SipMetricsTest {
    private final TestClock clock = TestClock.manual();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SipMetrics metrics = new SipMetrics(registry, clock);

    private static byte[] response(int status, String cseq, String callId) {
        return ("SIP/2.0 " + status + " Whatever\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: " + cseq + "\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static SipRequest request(String method, String callId) {
        String text = method + " sip:bob@sip.test SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
                + "From: <sip:alice@sip.test>;tag=1\r\nTo: <sip:bob@sip.test>\r\nCall-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        return (SipRequest) ((ParseResult.Parsed) SipParser.parse(text.getBytes(StandardCharsets.US_ASCII))).message();
    }

    private double requests(String method, String transport) {
        return registry.get("switchboard.sip.requests").tag("method", method).tag("transport", transport).counter()
                .count();
    }

    private double responses(String method, String cls) {
        return registry.get("switchboard.sip.responses").tag("method", method).tag("class", cls).counter().count();
    }

    @Test
    void requestsAreCountedByMethodAndTransportOthersUnderOther() {
        metrics.received(request("INVITE", "c1"), SipTransport.UDP);
        metrics.received(request("INVITE", "c2"), SipTransport.UDP);
        metrics.received(request("BYE", "c1"), SipTransport.TLS);
        metrics.received(request("FOO", "c3"), SipTransport.WSS);
        assertEquals(2, requests("INVITE", "udp"));
        assertEquals(1, requests("BYE", "tls"));
        assertEquals(1, requests("other", "wss"));
        assertEquals(0, requests("INVITE", "tcp"));
    }

    @Test
    void responsesAreCountedByTheirCSeqMethodAndClassAndRequestsSentAreNot() {
        metrics.sending(response(100, "1 INVITE", "c1"));
        metrics.sending(response(180, "1 INVITE", "c1"));
        metrics.sending(response(200, "1 INVITE", "c1"));
        metrics.sending(response(200, "2  BYE", "c1"));
        metrics.sending(response(503, "7 REGISTER", "c2"));
        metrics.sending(response(603, "1 NEWTHING", "c3"));
        metrics.sending("INVITE sip:bob@sip.test SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(2, responses("INVITE", "1xx"));
        assertEquals(1, responses("INVITE", "2xx"));
        assertEquals(1, responses("BYE", "2xx"));
        assertEquals(1, responses("REGISTER", "5xx"));
        assertEquals(1, responses("other", "6xx"));
        assertEquals(5, registry.get("switchboard.sip.responses").counters().stream()
                .filter(c -> c.count() > 0).count());
    }

    @Test
    void aRegisterTransactionLastsFromItsFirstArrivalToItsFinalResponse() {
        metrics.received(request("REGISTER", "r1"), SipTransport.UDP);
        clock.advance(Duration.ofMillis(30));
        metrics.received(request("REGISTER", "r1"), SipTransport.UDP); // a retransmission
        metrics.sending(response(100, "1 REGISTER", "r1"));
        clock.advance(Duration.ofMillis(10));
        metrics.sending(response(401, "1 REGISTER", "r1"));         // 40 ms: the challenge ends the transaction
        metrics.sending(response(401, "1 REGISTER", "r1"));         // its retransmission measures nothing
        metrics.received(request("REGISTER", "r1"), SipTransport.UDP); // the retry with credentials
        clock.advance(Duration.ofMillis(20));
        metrics.sending(response(200, "2 REGISTER", "r1"));         // 20 ms
        var timer = registry.get("switchboard.register.duration").timer();
        assertEquals(2, timer.count());
        assertEquals(60, timer.totalTime(TimeUnit.MILLISECONDS), 0.001);
        assertEquals(40, timer.max(TimeUnit.MILLISECONDS), 0.001);
    }

    @Test
    void setupTimesAreKeptByOutcome() {
        metrics.setupEnded(200, 120);
        metrics.setupEnded(407, 5);
        metrics.setupEnded(486, 900);
        metrics.setupEnded(487, 100);
        assertEquals(1, registry.get("switchboard.call.setup").tag("outcome", "answered").timer().count());
        assertEquals(1, registry.get("switchboard.call.setup").tag("outcome", "challenged").timer().count());
        assertEquals(2, registry.get("switchboard.call.setup").tag("outcome", "failed").timer().count());
        assertEquals(1000, registry.get("switchboard.call.setup").tag("outcome", "failed").timer()
                .totalTime(TimeUnit.MILLISECONDS), 0.001);
    }
}
