package org.switchboard.bench;

import java.text.ParseException;
import java.util.concurrent.TimeUnit;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import javax.sip.header.CSeqHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The work of {@link ParseBenchmark} done with JAIN-SIP's reference implementation (1.3.0-91), for comparison:
 * {@code StringMsgParser} parses the same bytes (it parses every header eagerly), then the same routing keys are read.
 *
 * <p>Run with the others (see {@link ParseBenchmark}), from the repository root:
 * {@code java -cp "bench/jmh/target/classes:bench/jmh/target/lib/*" org.openjdk.jmh.Main Parse -f 1 -wi 2 -w 2s -i 3 -r 2s -prof gc -t 1}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class JainSipParseBenchmark {
    // one parser per thread, as a JAIN-SIP stack keeps one per message processor; it is not thread-safe
    private final StringMsgParser parser = new StringMsgParser();

    @Setup
    public void checkTheValuesRead() throws ParseException {
        SIPRequest r = (SIPRequest) parse(BenchMessages.INVITE);
        BenchMessages.expect(BenchMessages.CALL_ID, r.getCallId().getCallId(), "INVITE Call-ID");
        BenchMessages.expect(BenchMessages.INVITE_BRANCH, r.getTopmostVia().getBranch(), "INVITE branch");
        BenchMessages.expect(BenchMessages.CSEQ, r.getCSeq().getSeqNumber(), "INVITE CSeq number");
        BenchMessages.expect(BenchMessages.CSEQ_METHOD, r.getCSeq().getMethod(), "INVITE CSeq method");
        BenchMessages.expect(null, r.getTo().getTag(), "INVITE without To tag");
        BenchMessages.expect(BenchMessages.REQUEST_URI, r.getRequestURI(), "Request-URI");
        SIPMessage ok = parse(BenchMessages.OK);
        BenchMessages.expect(BenchMessages.OK_BRANCH, ok.getTopmostVia().getBranch(), "200 OK branch");
        BenchMessages.expect(BenchMessages.OK_TO_TAG, ok.getTo().getTag(), "200 OK To tag");
    }

    @Benchmark
    public void invite(Blackhole bh) throws ParseException {
        SIPRequest r = (SIPRequest) parse(BenchMessages.INVITE);
        bh.consume(r.getCallId().getCallId());
        bh.consume(r.getTopmostVia().getBranch());
        CSeqHeader cseq = r.getCSeq();
        bh.consume(cseq.getSeqNumber());
        bh.consume(cseq.getMethod());
        bh.consume(r.getTo().getTag());
        bh.consume(r.getRequestURI());
    }

    @Benchmark
    public void ok(Blackhole bh) throws ParseException {
        SIPMessage m = parse(BenchMessages.OK);
        bh.consume(m.getCallId().getCallId());
        bh.consume(m.getTopmostVia().getBranch());
        CSeqHeader cseq = m.getCSeq();
        bh.consume(cseq.getSeqNumber());
        bh.consume(cseq.getMethod());
        bh.consume(m.getTo().getTag());
    }

    private SIPMessage parse(byte[] bytes) throws ParseException {
        // readBody true (the SDP is read, as ours keeps it), strict false (the stack's default), no error listener
        return parser.parseSIPMessage(bytes, true, false, null);
    }
}
