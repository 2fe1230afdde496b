package org.switchboard.transport.netty;

import java.util.Optional;

import org.switchboard.sip.HeaderNames;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParseException;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.Via;
import org.switchboard.transport.EdgeCounters;

/**
 * RFC 3261 §18.1.1: a request larger than 1300 bytes (the path MTU being unknown) must go over a congestion
 * controlled transport, TCP, even to a UDP destination: a datagram that large may be fragmented, and a lost
 * fragment loses it all. Our own top Via then says TCP, so the response comes back over the connection. A
 * response is never switched (it goes where its request came from, as its Via says).
 */
final class TcpSwitch {
    private final int threshold;
    private final EdgeCounters counters;

    TcpSwitch(int threshold, EdgeCounters counters) {
        this.threshold = threshold;
        this.counters = counters;
    }

    /** The request rewritten for TCP when it must switch; empty when it goes over UDP as it is. */
    Optional<byte[]> overTcp(byte[] bytes) {
        if (threshold <= 0 || bytes.length <= threshold || startsWith(bytes, "SIP/")) {
            return Optional.empty();
        }
        if (!(SipParser.parse(bytes) instanceof ParseResult.Parsed p) || !(p.message() instanceof SipRequest request)) {
            return Optional.empty();
        }
        try {
            Via top = request.topVia();
            if (!top.transport().equalsIgnoreCase("UDP")) {
                return Optional.empty();
            }
            Via tcp = new Via("TCP", top.sentBy(), top.params());
            counters.switchedToTcp.increment();
            return Optional.of(request.edit().replaceFirstValue(HeaderNames.VIA, tcp.toString()).toBytes());
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        if (bytes.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
