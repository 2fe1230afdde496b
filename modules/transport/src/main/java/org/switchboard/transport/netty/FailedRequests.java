package org.switchboard.transport.netty;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.InboundRouter;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.TransportCommand;

import akka.actor.typed.ActorRef;

/**
 * A request this node cannot deliver is answered at once with a response of its own, routed into the cluster as
 * if the destination had sent it: the transaction that sent the request ends now instead of at its timeout (a
 * fork of a call at Timer B, 32 s). A transport error — connection refused, TLS handshake failed (a certificate
 * that does not match its name), write failed, no DNS target reachable — is a 503 (RFC 3261 §8.1.3.1); a flow
 * that is gone is a 430 Flow Failed (RFC 5626 §5.3). Nothing is answered for an ACK or a response, which have no
 * answer: they are dropped and counted.
 */
final class FailedRequests {
    private static final Logger log = LoggerFactory.getLogger(FailedRequests.class);
    private final InboundRouter router;
    private final Supplier<ActorRef<TransportCommand>> sendPath;
    private final Peer local;
    private final EdgeCounters counters;

    FailedRequests(InboundRouter router, Supplier<ActorRef<TransportCommand>> sendPath, Peer local,
                   EdgeCounters counters) {
        this.router = router;
        this.sendPath = sendPath;
        this.local = local;
        this.counters = counters;
    }

    /** A transport error: 503, with {@code reason} (a few words, e.g. "TLS handshake failed") in its phrase. */
    void failed(Send send, String reason, Throwable cause) {
        log.info("cannot send to {} {}: {}: {}", send.destination().transport(), send.destination().peer(), reason,
                cause.toString());
        fail(send, 503, "Service Unavailable - " + reason);
    }

    /** Answers the request of {@code send} with {@code status}, or drops what cannot be answered. */
    void fail(Send send, int status, String reason) {
        counters.sendFailures.increment();
        Optional<SipRequest> request = SipParser.parse(send.bytes()) instanceof ParseResult.Parsed p
                && p.message() instanceof SipRequest r && !r.method().equals("ACK") ? Optional.of(r) : Optional.empty();
        if (request.isEmpty()) {
            counters.undeliverableDropped.increment();
            log.debug("dropped a message for {}: {} {}", send.destination(), status, reason);
            return;
        }
        SipResponse answer = request.get().response(status, reason).toTag(toTag()).build();
        counters.failedRequestsAnswered.increment();
        log.debug("answered {} {} for {}: {}", status, reason, request.get().method(), send.destination());
        router.route(new Envelope(answer.bytes(), send.destination().transport(), send.destination().peer(), local,
                Optional.empty(), sendPath.get()), answer);
    }

    private static String toTag() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
