package org.switchboard.bench;

import java.nio.charset.StandardCharsets;

/**
 * The messages every parser benchmark parses, shared so that Switchboard, JAIN-SIP, pkts and the sketch do the
 * same work on the same bytes: a typical INVITE with its SDP (~800 bytes) and the 200 OK that answers it after one
 * proxy (~400 bytes), with the routing keys each benchmark checks once in its setup.
 */
final class BenchMessages {
    static final byte[] INVITE = crlf("""
            INVITE sip:bob@example.com SIP/2.0
            Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport
            Max-Forwards: 70
            To: Bob <sip:bob@example.com>
            From: "Alice" <sip:alice@example.com>;tag=1928301774
            Call-ID: a84b4c76e66710@pc33.example.com
            CSeq: 314159 INVITE
            Contact: <sip:alice@192.0.2.10:5060;transport=udp>
            Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, REFER, NOTIFY
            Supported: replaces, timer, 100rel
            Session-Expires: 1800;refresher=uac
            User-Agent: Example Phone 1.0
            Accept: application/sdp
            Content-Type: application/sdp
            Content-Length: {LEN}

            v=0
            o=alice 2890844526 2890844526 IN IP4 192.0.2.10
            s=-
            c=IN IP4 192.0.2.10
            t=0 0
            m=audio 49170 RTP/AVP 0 8 101
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-16
            a=ptime:20
            a=sendrecv
            """);

    static final byte[] OK = crlf("""
            SIP/2.0 200 OK
            Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKsb0123456789abcdef0123abcd1234
            Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;received=192.0.2.10;rport=5060
            Record-Route: <sip:192.0.2.1:5060;lr>
            To: Bob <sip:bob@example.com>;tag=a6c85cf
            From: "Alice" <sip:alice@example.com>;tag=1928301774
            Call-ID: a84b4c76e66710@pc33.example.com
            CSeq: 314159 INVITE
            Contact: <sip:bob@192.0.2.20:5060>
            Content-Length: 0

            """);

    /** What reading the routing keys must give; each benchmark's setup compares against these once. */
    static final String CALL_ID = "a84b4c76e66710@pc33.example.com";
    static final String INVITE_BRANCH = "z9hG4bK776asdhds";
    static final String OK_BRANCH = "z9hG4bKsb0123456789abcdef0123abcd1234";
    static final long CSEQ = 314159;
    static final String CSEQ_METHOD = "INVITE";
    static final String OK_TO_TAG = "a6c85cf";
    static final String REQUEST_URI = "sip:bob@example.com";

    private BenchMessages() {
    }

    /** Fails the run (in @Setup, never in a measured method) when a parser read something else. */
    static void expect(Object expected, Object actual, String what) {
        if (!String.valueOf(expected).equals(String.valueOf(actual))) {
            throw new IllegalStateException(what + ": expected " + expected + ", read " + actual);
        }
    }

    /** The text with CRLF line ends and its real body length in Content-Length. */
    private static byte[] crlf(String text) {
        String wire = text.replace("\n", "\r\n");
        int blank = wire.indexOf("\r\n\r\n");
        int bodyLength = wire.length() - blank - 4;
        return wire.replace("{LEN}", Integer.toString(bodyLength)).getBytes(StandardCharsets.UTF_8);
    }
}
