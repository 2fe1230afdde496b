package org.switchboard.transport.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.transport.EdgeCounters;

/** RFC 3261 §18.1.1: which requests leave over TCP instead of UDP, and how our Via says so. */
class TcpSwitchTest {
    private final EdgeCounters counters = new EdgeCounters();
    private final TcpSwitch tcpSwitch = new TcpSwitch(1300, counters);

    @Test
    void aLargeRequestSwitchesAndOnlyOurTopViaSaysTcp() {
        byte[] invite = invite(1400);
        SipMessage switched = parse(tcpSwitch.overTcp(invite).orElseThrow());
        List<String> vias = switched.headers("via");
        assertEquals("SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKsbours", vias.get(0));
        assertEquals("SIP/2.0/UDP 192.0.2.7:5070;branch=z9hG4bKcaller;received=192.0.2.7", vias.get(1));
        assertEquals(parse(invite).body().length, switched.body().length);
        assertEquals(1, counters.switchedToTcp.sum());
    }

    @Test
    void smallRequestsResponsesAndNonUdpViasStayAsTheyAre() {
        assertEquals(Optional.empty(), tcpSwitch.overTcp(invite(100)));
        String response = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKsbours\r\n"
                + "From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>;tag=2\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n"
                + "Content-Length: 1400\r\n\r\n" + "x".repeat(1400);
        assertEquals(Optional.empty(), tcpSwitch.overTcp(response.getBytes(StandardCharsets.US_ASCII)));
        byte[] overTcpAlready = new String(invite(1400), StandardCharsets.US_ASCII)
                .replace("SIP/2.0/UDP 10.0.0.1", "SIP/2.0/TCP 10.0.0.1").getBytes(StandardCharsets.US_ASCII);
        assertEquals(Optional.empty(), tcpSwitch.overTcp(overTcpAlready));
        assertEquals(Optional.empty(), new TcpSwitch(0, counters).overTcp(invite(1400)), "0: never");
        assertEquals(0, counters.switchedToTcp.sum());
    }

    @Test
    void theThresholdCountsTheWholeMessage() {
        byte[] invite = invite(1000);
        assertTrue(invite.length > 1000);
        assertEquals(invite.length > 1300, new TcpSwitch(1300, counters).overTcp(invite).isPresent());
        assertTrue(new TcpSwitch(invite.length - 1, counters).overTcp(invite).isPresent());
        assertEquals(Optional.empty(), new TcpSwitch(invite.length, counters).overTcp(invite));
    }

    @Test
    void theCancelAndAckOfASwitchedInviteFollowItOverTcpOthersDoNot() {
        tcpSwitch.overTcp(invite(1400)).orElseThrow();
        String cancel = "CANCEL sip:bob@192.0.2.9:5062 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKsbours\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@x>;tag=1\r\nTo: <sip:bob@x>\r\nCall-ID: c1\r\n"
                + "CSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n";
        SipMessage followed = parse(tcpSwitch.overTcp(bytes(cancel)).orElseThrow());
        assertEquals("SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bKsbours", followed.headers("via").get(0));
        String ack = cancel.replace("CANCEL sip:", "ACK sip:").replace("1 CANCEL", "1 ACK");
        assertTrue(tcpSwitch.overTcp(bytes(ack)).isPresent());
        assertEquals(Optional.empty(), tcpSwitch.overTcp(bytes(cancel.replace("z9hG4bKsbours", "z9hG4bKother"))),
                "the CANCEL of an INVITE that went over UDP");
        assertEquals(Optional.empty(), tcpSwitch.overTcp(bytes(cancel.replace("CANCEL sip:", "BYE sip:")
                .replace("1 CANCEL", "2 BYE"))), "a small BYE");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] invite(int bodyBytes) {
        String body = "v".repeat(bodyBytes);
        return ("INVITE sip:bob@192.0.2.9:5062 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKsbours\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.7:5070;branch=z9hG4bKcaller;received=192.0.2.7\r\n"
                + "Max-Forwards: 69\r\nFrom: <sip:alice@x>;tag=1\r\nTo: <sip:bob@x>\r\nCall-ID: c1\r\n"
                + "CSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: " + bodyBytes + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static SipMessage parse(byte[] bytes) {
        return ((ParseResult.Parsed) SipParser.parse(bytes)).message();
    }
}
