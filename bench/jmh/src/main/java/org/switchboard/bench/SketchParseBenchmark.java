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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A figure of scale, not a parser: a bare indexOf over the bytes finds the four routing values (Call-ID, top Via
 * branch, CSeq, To tag) as offsets, allocating nothing. It knows only the long header names in this exact case,
 * no folding, no compact forms, no validation: roughly the floor a real parser of the same messages can approach.
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
public class SketchParseBenchmark {
    private static final byte[] CALL_ID = ascii("\r\nCall-ID: ");
    private static final byte[] VIA = ascii("\r\nVia: ");
    private static final byte[] BRANCH = ascii(";branch=");
    private static final byte[] CSEQ = ascii("\r\nCSeq: ");
    private static final byte[] TO = ascii("\r\nTo: ");
    private static final byte[] TAG = ascii(";tag=");
    private static final byte[] CRLF = ascii("\r\n");

    // start/end pairs: Call-ID, branch, CSeq method, To tag (-1 when absent); reused so nothing is allocated
    private final int[] found = new int[8];

    @Setup
    public void checkTheValuesRead() {
        long n = scan(BenchMessages.INVITE, found);
        BenchMessages.expect(BenchMessages.CALL_ID, text(BenchMessages.INVITE, 0), "INVITE Call-ID");
        BenchMessages.expect(BenchMessages.INVITE_BRANCH, text(BenchMessages.INVITE, 2), "INVITE branch");
        BenchMessages.expect(BenchMessages.CSEQ, n, "INVITE CSeq number");
        BenchMessages.expect(BenchMessages.CSEQ_METHOD, text(BenchMessages.INVITE, 4), "INVITE CSeq method");
        BenchMessages.expect(-1, found[6], "INVITE without To tag");
        scan(BenchMessages.OK, found);
        BenchMessages.expect(BenchMessages.OK_BRANCH, text(BenchMessages.OK, 2), "200 OK branch");
        BenchMessages.expect(BenchMessages.OK_TO_TAG, text(BenchMessages.OK, 6), "200 OK To tag");
    }

    @Benchmark
    public void invite(Blackhole bh) {
        consume(bh, scan(BenchMessages.INVITE, found));
    }

    @Benchmark
    public void ok(Blackhole bh) {
        consume(bh, scan(BenchMessages.OK, found));
    }

    private void consume(Blackhole bh, long cseq) {
        bh.consume(cseq);
        for (int v : found) {
            bh.consume(v);
        }
    }

    /** Fills {@code out} with the value offsets and returns the CSeq number. */
    static long scan(byte[] m, int[] out) {
        int callId = indexOf(m, CALL_ID, 0, m.length) + CALL_ID.length;
        out[0] = callId;
        out[1] = indexOf(m, CRLF, callId, m.length);

        int via = indexOf(m, VIA, 0, m.length);
        int viaEnd = indexOf(m, CRLF, via + VIA.length, m.length);
        int branch = indexOf(m, BRANCH, via, viaEnd) + BRANCH.length;
        out[2] = branch;
        out[3] = paramEnd(m, branch, viaEnd);

        int cseq = indexOf(m, CSEQ, 0, m.length) + CSEQ.length;
        long number = 0;
        int i = cseq;
        while (m[i] >= '0' && m[i] <= '9') {
            number = number * 10 + (m[i++] - '0');
        }
        out[4] = i + 1;
        out[5] = indexOf(m, CRLF, i, m.length);

        int to = indexOf(m, TO, 0, m.length);
        int toEnd = indexOf(m, CRLF, to + TO.length, m.length);
        int tag = indexOf(m, TAG, to, toEnd);
        out[6] = tag < 0 ? -1 : tag + TAG.length;
        out[7] = tag < 0 ? -1 : paramEnd(m, out[6], toEnd);
        return number;
    }

    private static int paramEnd(byte[] m, int from, int to) {
        int i = from;
        while (i < to && m[i] != ';' && m[i] != ',') {
            i++;
        }
        return i;
    }

    private static int indexOf(byte[] m, byte[] needle, int from, int to) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (m[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private String text(byte[] m, int pair) {
        return new String(m, found[pair], found[pair + 1] - found[pair], StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
