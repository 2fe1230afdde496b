package org.switchboard.bench;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
import org.switchboard.node.activity.Activity;
import org.switchboard.node.metrics.SipMetrics;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.SipTransport;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What the Prometheus metrics add to the SIP path per message ({@code switchboard.metrics.enabled}): the send path's
 * tap on a 200 OK ({@code metricsResponse}, next to the console's {@code activityResponse} that was there before), the
 * router's count of a request ({@code metricsRequest}), and a whole REGISTER transaction's count and latency
 * ({@code registerTransaction}: its arrival, then its final response, Call-ID read and timer recorded). For scale,
 * {@code parseResponse} parses the same 200 OK once, as the edge does for every message. Run as ParseBenchmark
 * says, e.g.
 * <pre>
 * java -cp "bench/jmh/target/classes:bench/jmh/target/lib/*" org.openjdk.jmh.Main MetricsTap -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc -t 1
 * </pre>
 * Measured when it was written (2 shared cores, load average 4-5): a response 109 ns and 0 B (the scan of its status
 * line and CSeq: a third of parsing it, 347 ns), a request 7 ns and 0 B, a REGISTER transaction 540 ns and 232 B (its
 * Call-ID read from the response, the map of waiting REGISTERs, the timer) — about 1.3 us per digest registration,
 * against the 150-250 us of CPU a node spends on one (bench/run).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MetricsTapBenchmark {
    /** The 200 OK with CSeq 1 REGISTER: the same Call-ID as the REGISTER below. */
    private static final byte[] REGISTER_OK = new String(BenchMessages.OK, StandardCharsets.UTF_8)
            .replace("314159 INVITE", "1 REGISTER").getBytes(StandardCharsets.UTF_8);
    private SipMetrics metrics;
    private Activity activity;
    private SipRequest invite;
    private SipRequest register;

    @Setup
    public void setUp() {
        metrics = new SipMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
        activity = new Activity(Clock.systemUTC());
        invite = (SipRequest) ((ParseResult.Parsed) SipParser.parse(BenchMessages.INVITE)).message();
        String text = new String(BenchMessages.INVITE, StandardCharsets.UTF_8)
                .replace("INVITE sip:bob@example.com", "REGISTER sip:example.com").replace("314159 INVITE", "1 REGISTER");
        register = (SipRequest) ((ParseResult.Parsed) SipParser.parse(text.getBytes(StandardCharsets.UTF_8))).message();
        BenchMessages.expect("REGISTER", register.method(), "REGISTER");
    }

    @Benchmark
    public void activityResponse() {
        activity.sending(BenchMessages.OK);
    }

    @Benchmark
    public void metricsResponse() {
        metrics.sending(BenchMessages.OK);
    }

    @Benchmark
    public void metricsRequest() {
        metrics.received(invite, SipTransport.UDP);
    }

    @Benchmark
    public void registerTransaction() {
        metrics.received(register, SipTransport.UDP);
        metrics.sending(REGISTER_OK);
    }

    @Benchmark
    public Object parseResponse() {
        return SipParser.parse(BenchMessages.OK);
    }
}
