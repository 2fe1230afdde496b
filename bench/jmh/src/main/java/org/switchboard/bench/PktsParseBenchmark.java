package org.switchboard.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.pkts.packet.sip.SipMessage;
import io.pkts.packet.sip.SipRequest;
import io.pkts.packet.sip.header.CSeqHeader;
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
 * The work of {@link ParseBenchmark} done with pkts-sip 3.0.10, for comparison: {@code SipMessage.frame(byte[])}
 * indexes the message over its bytes and parses the headers it reads on first use, as ours does. Values come back
 * as pkts {@code Buffer} views (no String copies), which is pkts' natural API and what a caller would use.
 *
 * <p>Run with the others (see {@link ParseBenchmark}), from the repository root:
 * {@code java -cp "bench/jmh/target/classes:bench/jmh/target/lib/*" org.openjdk.jmh.Main Parse -f 1 -wi 2 -w 2s -i 3 -r 2s -prof gc -t 1}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PktsParseBenchmark {

    @Setup
    public void checkTheValuesRead() throws IOException {
        SipRequest r = SipMessage.frame(BenchMessages.INVITE).toRequest();
        BenchMessages.expect(BenchMessages.CALL_ID, r.getCallIDHeader().getCallId(), "INVITE Call-ID");
        BenchMessages.expect(BenchMessages.INVITE_BRANCH, r.getViaHeader().getBranch(), "INVITE branch");
        BenchMessages.expect(BenchMessages.CSEQ, r.getCSeqHeader().getSeqNumber(), "INVITE CSeq number");
        BenchMessages.expect(BenchMessages.CSEQ_METHOD, r.getCSeqHeader().getMethod(), "INVITE CSeq method");
        BenchMessages.expect(null, r.getToHeader().getTag(), "INVITE without To tag");
        BenchMessages.expect(BenchMessages.REQUEST_URI, r.getRequestUri(), "Request-URI");
        SipMessage ok = SipMessage.frame(BenchMessages.OK);
        BenchMessages.expect(BenchMessages.OK_BRANCH, ok.getViaHeader().getBranch(), "200 OK branch");
        BenchMessages.expect(BenchMessages.OK_TO_TAG, ok.getToHeader().getTag(), "200 OK To tag");
    }

    @Benchmark
    public void invite(Blackhole bh) throws IOException {
        SipRequest r = SipMessage.frame(BenchMessages.INVITE).toRequest();
        bh.consume(r.getCallIDHeader().getCallId());
        bh.consume(r.getViaHeader().getBranch());
        CSeqHeader cseq = r.getCSeqHeader();
        bh.consume(cseq.getSeqNumber());
        bh.consume(cseq.getMethod());
        bh.consume(r.getToHeader().getTag());
        bh.consume(r.getRequestUri());
    }

    @Benchmark
    public void ok(Blackhole bh) throws IOException {
        SipMessage m = SipMessage.frame(BenchMessages.OK);
        bh.consume(m.getCallIDHeader().getCallId());
        bh.consume(m.getViaHeader().getBranch());
        CSeqHeader cseq = m.getCSeqHeader();
        bh.consume(cseq.getSeqNumber());
        bh.consume(cseq.getMethod());
        bh.consume(m.getToHeader().getTag());
    }
}
