package org.switchboard.bench;

import java.util.concurrent.TimeUnit;

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
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;

/**
 * Parsing a typical INVITE (~800 bytes with its SDP) and a 200 OK (~400 bytes), and reading the routing keys
 * (Call-ID, top Via branch, CSeq, To tag, Request-URI): the work the edge and the entity do per message. The same
 * work on the same bytes ({@link BenchMessages}) is measured with JAIN-SIP ({@link JainSipParseBenchmark}), pkts
 * ({@link PktsParseBenchmark}) and a bare indexOf sketch ({@link SketchParseBenchmark}); every class checks once in
 * its setup that what it reads is right. The protocol-core issue extends this class (more messages, header access
 * patterns, serialisation).
 *
 * <p>Build (the reactor builds it, benchmarks never run during the build), then run by hand from the repository root:
 * <pre>
 * mvn -B -q -DskipTests package -pl bench/jmh -am
 * java -cp "bench/jmh/target/classes:bench/jmh/target/lib/*" org.openjdk.jmh.Main ParseBenchmark
 * # all four parsers in one run, short, with allocation per operation (gc.alloc.rate.norm), as in bench/RESULTS.md:
 * java -cp "bench/jmh/target/classes:bench/jmh/target/lib/*" org.openjdk.jmh.Main Parse -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc -t 1
 * </pre>
 * The pattern {@code Parse} matches every class here whose name contains it; on a shared 2-core machine note the
 * load average ({@code uptime}) before and after, other builds move these figures by tens of percent.
 *
 * <p>Three ways of reading the same five values, each after a full parse (every header line indexed, the start
 * line and the mandatory headers checked): {@code invite}/{@code ok} through the typed objects ({@code Via},
 * {@code NameAddress}, {@code SipUri}, {@code CSeq}); {@code *Strings} as Strings without the typed objects;
 * {@code *Keys} without allocating: hashes, equality and numbers straight from the bytes, as the edge (shard key
 * from the Call-ID) and the entity (transaction and dialog matching) use them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ParseBenchmark {
    @Setup
    public void checkTheValuesRead() {
        SipRequest r = (SipRequest) parse(BenchMessages.INVITE);
        BenchMessages.expect(BenchMessages.CALL_ID, r.callId(), "INVITE Call-ID");
        BenchMessages.expect(BenchMessages.INVITE_BRANCH, r.topVia().branch().orElseThrow(), "INVITE branch");
        BenchMessages.expect(BenchMessages.CSEQ + " " + BenchMessages.CSEQ_METHOD, r.cseq(), "INVITE CSeq");
        BenchMessages.expect(true, r.to().tag().isEmpty(), "INVITE without To tag");
        BenchMessages.expect(BenchMessages.REQUEST_URI, r.requestUri(), "Request-URI");
        SipMessage ok = parse(BenchMessages.OK);
        BenchMessages.expect(BenchMessages.OK_BRANCH, ok.topVia().branch().orElseThrow(), "200 OK branch");
        BenchMessages.expect(BenchMessages.OK_TO_TAG, ok.to().tag().orElseThrow(), "200 OK To tag");
        // the String and allocation-free readers must give the same values
        BenchMessages.expect(BenchMessages.CALL_ID, r.callId(), "INVITE Call-ID as String");
        BenchMessages.expect(BenchMessages.INVITE_BRANCH, r.topViaBranch().orElseThrow(), "INVITE branch as String");
        BenchMessages.expect(BenchMessages.CSEQ, r.cseqNumber(), "INVITE CSeq number");
        BenchMessages.expect(BenchMessages.CSEQ_METHOD, r.cseqMethod(), "INVITE CSeq method");
        BenchMessages.expect(true, r.toTag().isEmpty(), "INVITE without To tag as String");
        BenchMessages.expect(BenchMessages.REQUEST_URI, r.requestUriText(), "Request-URI as String");
        BenchMessages.expect(BenchMessages.CALL_ID.hashCode(), r.callIdHash(), "INVITE Call-ID hash");
        BenchMessages.expect(true, r.callIdEquals(BenchMessages.CALL_ID), "INVITE Call-ID equals");
        BenchMessages.expect(BenchMessages.INVITE_BRANCH.hashCode(), r.topViaBranchHash(), "INVITE branch hash");
        BenchMessages.expect(true, r.topViaBranchEquals(BenchMessages.INVITE_BRANCH), "INVITE branch equals");
        BenchMessages.expect(0, r.toTagHash(), "INVITE To tag hash (none)");
        BenchMessages.expect(BenchMessages.REQUEST_URI.hashCode(), r.requestUriHash(), "Request-URI hash");
        BenchMessages.expect(BenchMessages.OK_BRANCH, ok.topViaBranch().orElseThrow(), "200 OK branch as String");
        BenchMessages.expect(BenchMessages.OK_TO_TAG, ok.toTag().orElseThrow(), "200 OK To tag as String");
        BenchMessages.expect(BenchMessages.OK_BRANCH.hashCode(), ok.topViaBranchHash(), "200 OK branch hash");
        BenchMessages.expect(BenchMessages.OK_TO_TAG.hashCode(), ok.toTagHash(), "200 OK To tag hash");
        BenchMessages.expect(BenchMessages.CSEQ, ok.cseqNumber(), "200 OK CSeq number");
    }

    @Benchmark
    public void invite(Blackhole bh) {
        SipRequest r = (SipRequest) parse(BenchMessages.INVITE);
        bh.consume(r.callId());
        bh.consume(r.topVia().branch());
        bh.consume(r.cseq());
        bh.consume(r.to().tag());
        bh.consume(r.requestUri());
    }

    @Benchmark
    public void ok(Blackhole bh) {
        SipMessage m = parse(BenchMessages.OK);
        bh.consume(m.callId());
        bh.consume(m.topVia().branch());
        bh.consume(m.cseq());
        bh.consume(m.to().tag());
    }

    @Benchmark
    public void inviteStrings(Blackhole bh) {
        SipRequest r = (SipRequest) parse(BenchMessages.INVITE);
        bh.consume(r.callId());
        bh.consume(r.topViaBranch());
        bh.consume(r.cseqNumber());
        bh.consume(r.cseqMethod());
        bh.consume(r.toTag());
        bh.consume(r.requestUriText());
    }

    @Benchmark
    public void okStrings(Blackhole bh) {
        SipMessage m = parse(BenchMessages.OK);
        bh.consume(m.callId());
        bh.consume(m.topViaBranch());
        bh.consume(m.cseqNumber());
        bh.consume(m.cseqMethod());
        bh.consume(m.toTag());
    }

    @Benchmark
    public void inviteKeys(Blackhole bh) {
        SipRequest r = (SipRequest) parse(BenchMessages.INVITE);
        bh.consume(r.callIdHash());
        bh.consume(r.topViaBranchHash());
        bh.consume(r.cseqNumber());
        bh.consume(r.cseqMethod());
        bh.consume(r.toTagHash());
        bh.consume(r.requestUriHash());
    }

    @Benchmark
    public void okKeys(Blackhole bh) {
        SipMessage m = parse(BenchMessages.OK);
        bh.consume(m.callIdHash());
        bh.consume(m.topViaBranchHash());
        bh.consume(m.cseqNumber());
        bh.consume(m.cseqMethod());
        bh.consume(m.toTagHash());
    }

    private static SipMessage parse(byte[] bytes) {
        return ((ParseResult.Parsed) SipParser.parse(bytes)).message();
    }
}
