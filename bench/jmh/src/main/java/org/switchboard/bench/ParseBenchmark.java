package org.switchboard.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;

/**
 * Parsing a typical INVITE (~800 bytes with its SDP) and a 200 OK, and reading the routing keys (Call-ID, top Via
 * branch, CSeq, To tag, Request-URI): the work the edge and the entity do per message. The protocol-core issue
 * extends this class (more messages, header access patterns, serialisation).
 *
 * <p>Build (the reactor builds it, benchmarks never run during the build), then run by hand from the repository root:
 * <pre>
 * mvn -B -q -DskipTests package -pl bench/jmh -am
 * java -cp "bench/jmh/target/classes:bench/jmh/target/lib/*" org.openjdk.jmh.Main ParseBenchmark
 * # short run with allocation per operation (gc.alloc.rate.norm), as in bench/RESULTS.md:
 * java -cp "bench/jmh/target/classes:bench/jmh/target/lib/*" org.openjdk.jmh.Main ParseBenchmark -f 1 -wi 2 -w 2s -i 3 -r 2s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ParseBenchmark {
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

    @Benchmark
    public void invite(Blackhole bh) {
        SipRequest r = (SipRequest) parse(INVITE);
        bh.consume(r.callId());
        bh.consume(r.topVia().branch());
        bh.consume(r.cseq());
        bh.consume(r.to().tag());
        bh.consume(r.requestUri());
    }

    @Benchmark
    public void ok(Blackhole bh) {
        SipMessage m = parse(OK);
        bh.consume(m.callId());
        bh.consume(m.topVia().branch());
        bh.consume(m.cseq());
        bh.consume(m.to().tag());
    }

    private static SipMessage parse(byte[] bytes) {
        return ((ParseResult.Parsed) SipParser.parse(bytes)).message();
    }

    /** The text with CRLF line ends and its real body length in Content-Length. */
    private static byte[] crlf(String text) {
        String wire = text.replace("\n", "\r\n");
        int blank = wire.indexOf("\r\n\r\n");
        int bodyLength = wire.length() - blank - 4;
        return wire.replace("{LEN}", Integer.toString(bodyLength)).getBytes(StandardCharsets.UTF_8);
    }
}
