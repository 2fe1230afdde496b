package org.switchboard.transport.netty;

import java.util.LinkedHashMap;
import java.util.Map;
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
 *
 * <p>The CANCEL and the non-2xx ACK of a switched INVITE follow it over TCP, small as they are: they must go to the
 * same address, port and transport as the INVITE (RFC 3261 §9.1, §17.1.1.3). Used by the send-path actor only.
 */
final class TcpSwitch {
    /** INVITEs switched recently (branch and sent-by of our Via); far more than are ever pending within 64*T1. */
    private static final int REMEMBERED = 16_384;
    private final int threshold;
    private final EdgeCounters counters;
    private final Map<String, Boolean> switchedInvites = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    TcpSwitch(int threshold, EdgeCounters counters) {
        this.threshold = threshold;
        this.counters = counters;
    }

    /** The request rewritten for TCP when it must switch; empty when it goes over UDP as it is. */
    Optional<byte[]> overTcp(byte[] bytes) {
        boolean large = bytes.length > threshold;
        boolean follower = !large && !switchedInvites.isEmpty()
                && (startsWith(bytes, "ACK ") || startsWith(bytes, "CANCEL "));
        if (threshold <= 0 || !(large || follower) || startsWith(bytes, "SIP/")) {
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
            String key = top.branch().orElse("") + "|" + top.sentBy();
            if (follower && !switchedInvites.containsKey(key)) {
                return Optional.empty();
            }
            if (request.method().equals("INVITE")) {
                switchedInvites.put(key, Boolean.TRUE);
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
