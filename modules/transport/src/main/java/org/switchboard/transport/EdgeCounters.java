package org.switchboard.transport;

import java.util.concurrent.atomic.LongAdder;

/** What the edge dropped or answered by itself; read by the node's metrics. */
public final class EdgeCounters {
    public final LongAdder received = new LongAdder();
    public final LongAdder routed = new LongAdder();
    public final LongAdder answeredStateless = new LongAdder();
    public final LongAdder malformedAnswered = new LongAdder();
    public final LongAdder malformedDropped = new LongAdder();
    public final LongAdder foreignResponsesDropped = new LongAdder();
    public final LongAdder keepAlives = new LongAdder();
    public final LongAdder sendFailures = new LongAdder();
    /** Requests that could not be delivered and were answered with a 503 in the destination's stead (§8.1.3.1). */
    public final LongAdder sendFailuresAnswered = new LongAdder();
    /** Messages from an untrusted source over its rate limit, dropped before parsing. */
    public final LongAdder rateLimited = new LongAdder();
    /** Messages (and connections) from a source banned for password guessing, dropped before parsing. */
    public final LongAdder banned = new LongAdder();
    /** Stream connections refused by the total or per-address cap. */
    public final LongAdder connectionsRefused = new LongAdder();
    /** Stream connections closed for silence (no message, no keep-alive) or a message left unfinished too long. */
    public final LongAdder idleClosed = new LongAdder();
    public final LongAdder slowClosed = new LongAdder();
    /** Writes dropped because the peer does not read (the connection's or socket's buffer is over its high mark). */
    public final LongAdder writesDropped = new LongAdder();
    /** Messages for a flow another transport node holds, passed to that node. */
    public final LongAdder flowsForwarded = new LongAdder();
    /** Requests that could not be delivered (their flow is gone), answered by this node (430) into the cluster. */
    public final LongAdder failedRequestsAnswered = new LongAdder();
    /** Responses and ACKs that could not be delivered (their flow is gone): nothing to answer, dropped. */
    public final LongAdder undeliverableDropped = new LongAdder();
    /** Large requests for a UDP destination sent over TCP instead (RFC 3261 §18.1.1). */
    public final LongAdder switchedToTcp = new LongAdder();
    /** Of those, the ones sent over UDP after all, because no TCP connection could be made. */
    public final LongAdder tcpSwitchFellBack = new LongAdder();
}
