package org.switchboard.transport.hep;

import java.util.concurrent.atomic.LongAdder;

/** What SIP capture did with the messages it saw; for the node's metrics and log. */
public final class CaptureCounters {
    /** Messages of sampled calls taken into the queue. */
    public final LongAdder queued = new LongAdder();
    /** Messages of sampled calls dropped because the queue was full (the collector or the sender is too slow). */
    public final LongAdder dropped = new LongAdder();
    /** HEP packets sent to the collector. */
    public final LongAdder sent = new LongAdder();
    /** Packets the socket refused to send (no route, buffer full, ...). */
    public final LongAdder sendFailures = new LongAdder();
    /** Messages too large for one HEP packet in a UDP datagram (over 65,507 bytes with the HEP chunks). */
    public final LongAdder tooLarge = new LongAdder();
}
