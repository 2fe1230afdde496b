package org.switchboard.node.metrics;

import java.util.concurrent.atomic.LongAdder;

import org.switchboard.transport.EdgeCounters;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The transport's {@link EdgeCounters} as Prometheus counters, read at each scrape from their {@code LongAdder}s:
 * the edge keeps counting exactly as before, at no extra cost.
 */
final class EdgeMetrics {
    private EdgeMetrics() {
    }

    static void bind(MeterRegistry registry, EdgeCounters c) {
        // messages dropped at the edge, before any entity saw them:
        // over the source's rate limit / from a source banned for failed credentials (both before parsing)
        dropped(registry, c.rateLimited, "rate_limited");
        dropped(registry, c.banned, "banned");
        // not parseable and not answerable with a 400 (a response, no usable Via, junk; an ACK that would get one)
        dropped(registry, c.malformedDropped, "malformed");
        // a response whose top Via branch is not ours for its Call-ID: forged, or a stray
        dropped(registry, c.foreignResponsesDropped, "foreign_response");
        // writes to a peer that does not read; responses and ACKs for a connection that is gone
        dropped(registry, c.writesDropped, "peer_not_reading");
        dropped(registry, c.undeliverableDropped, "flow_gone");

        counter(registry, "switchboard.edge.received", c.received, "SIP messages received (past the rate limit and bans)");
        counter(registry, "switchboard.edge.answered.stateless", c.answeredStateless,
                "requests the edge answered itself: 400 naming the fault, 505, 416, 483, OPTIONS to the node");
        counter(registry, "switchboard.edge.keepalives", c.keepAlives, "CRLF and STUN keep-alives");
        counter(registry, "switchboard.edge.send.failures", c.sendFailures,
                "messages that could not be sent (refused connection, failed TLS handshake, no DNS target, ...)");
        counter(registry, "switchboard.edge.send.failures.answered", c.sendFailuresAnswered,
                "requests that could not be delivered, answered 503 in the destination's stead");
        counter(registry, "switchboard.edge.flow.failures.answered", c.failedRequestsAnswered,
                "requests for a connection that is gone, answered 430 Flow Failed");
        counter(registry, "switchboard.edge.flows.forwarded", c.flowsForwarded,
                "messages for a connection another transport node holds, passed on to it");
        counter(registry, "switchboard.edge.tcp.switched", c.switchedToTcp,
                "large requests for a UDP destination sent over TCP instead (RFC 3261 18.1.1)");
        counter(registry, "switchboard.edge.tcp.switch.fallbacks", c.tcpSwitchFellBack,
                "of those, sent over UDP after all because no TCP connection could be made");
        FunctionCounter.builder("switchboard.edge.connections.refused", c.connectionsRefused, LongAdder::sum)
                .description("stream connections refused by the total or per-address cap (banned ones: dropped)")
                .register(registry);
        closed(registry, c.idleClosed, "idle");
        closed(registry, c.slowClosed, "slow");
    }

    private static void dropped(MeterRegistry registry, LongAdder adder, String reason) {
        FunctionCounter.builder("switchboard.edge.dropped", adder, LongAdder::sum)
                .description("SIP messages the edge dropped: rate_limited, banned (before parsing), malformed, "
                        + "foreign_response (top Via not ours), peer_not_reading, flow_gone (its connection is gone)")
                .tag("reason", reason).register(registry);
    }

    private static void closed(MeterRegistry registry, LongAdder adder, String reason) {
        FunctionCounter.builder("switchboard.edge.connections.closed", adder, LongAdder::sum)
                .description("stream connections the edge closed: idle (no message or keep-alive within the idle "
                        + "timeout), slow (a message left unfinished too long)")
                .tag("reason", reason).register(registry);
    }

    private static void counter(MeterRegistry registry, String name, LongAdder adder, String what) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(what).register(registry);
    }
}
