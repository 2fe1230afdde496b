package org.switchboard.transport.netty;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.EdgeCounters;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.InboundRouter;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.TransportCommand;

import akka.actor.typed.ActorRef;

/**
 * A request the transport could not deliver (connection refused, TLS handshake failed, write failed) is answered
 * here, as RFC 3261 §8.1.3.1 asks: a transport error counts as a {@code 503 Service Unavailable} from the
 * destination. The 503 is routed into the cluster exactly as a response from that peer would be, so the
 * transaction that sent the request ends at once instead of at Timer B. Responses and ACKs have no one to tell:
 * they are only counted.
 */
final class SendFailures {
    private static final Logger log = LoggerFactory.getLogger(SendFailures.class);
    private final InboundRouter router;
    private final EdgeCounters counters;
    private final Supplier<ActorRef<TransportCommand>> sendPath;
    private final Supplier<Peer> local;

    SendFailures(InboundRouter router, EdgeCounters counters, Supplier<ActorRef<TransportCommand>> sendPath,
                 Supplier<Peer> local) {
        this.router = router;
        this.counters = counters;
        this.sendPath = sendPath;
        this.local = local;
    }

    /** {@code reason}: a few words for the reason phrase, e.g. "TLS handshake failed". */
    void failed(Send send, String reason, Throwable cause) {
        counters.sendFailures.increment();
        Destination d = send.destination();
        if (!(SipParser.parse(send.bytes()) instanceof ParseResult.Parsed p)
                || !(p.message() instanceof SipRequest request) || request.method().equals("ACK")) {
            // the ACK of the very 503 made here fails the same way: not worth a line of its own
            log.debug("cannot send to {} {}: {}: {}", d.transport(), d.peer(), reason, cause.toString());
            return;
        }
        log.info("cannot send {} to {} {}: {}: {}", request.method(), d.transport(), d.peer(), reason, cause.toString());
        byte[] unavailable = request.response(503, "Service Unavailable - " + reason)
                .toTag(UUID.randomUUID().toString().substring(0, 8)).toBytes();
        if (SipParser.parse(unavailable) instanceof ParseResult.Parsed answer) {
            counters.sendFailuresAnswered.increment();
            router.route(new Envelope(unavailable, d.transport(), d.peer(), local.get(), Optional.empty(),
                    sendPath.get()), answer.message());
        }
    }
}
