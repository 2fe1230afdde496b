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
}
