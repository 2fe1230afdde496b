package org.switchboard.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
import org.switchboard.transport.security.Bans;
import org.switchboard.transport.security.EdgeGuard;
import org.switchboard.transport.security.EdgeSecurity;
import org.switchboard.transport.security.RateLimiter;
import org.switchboard.transport.security.TrustedPeers;

/**
 * The question the edge asks for every datagram before copying it (trusted? banned? a token left?), with the
 * node's default settings: the added cost per message on the hot path. Run as ParseBenchmark says, e.g.
 * <pre>
 * java -cp "bench/jmh/target/classes:bench/jmh/target/lib/*" org.openjdk.jmh.Main EdgeGuard -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc -t 1
 * </pre>
 * {@code gc.alloc.rate.norm} should read ~0 B/op for every case: a known source costs a map lookup keyed by the
 * sender's own InetAddress and an uncontended monitor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EdgeGuardBenchmark {
    private static final int SOURCES = 10_000;
    private EdgeGuard admitsAll;
    private EdgeGuard defaults;
    private InetAddress trusted;
    private InetAddress[] sources;
    private int next;

    @Setup
    public void setUp() throws UnknownHostException {
        TrustedPeers peers = TrustedPeers.parse(List.of("10.0.0.0/8", "192.0.2.0/24"));
        EdgeSecurity.AuthFailures bans = new EdgeSecurity.AuthFailures(20, Duration.ofSeconds(60), Duration.ofMinutes(15));
        // a rate no loop reaches: every message takes a token (the path of a well-behaved source)
        admitsAll = new EdgeGuard(peers, Optional.of(new RateLimiter(
                new EdgeSecurity.RateLimit(true, 1e12, 1_000_000, 100_000, Duration.ofSeconds(60)), System::nanoTime)),
                new Bans(bans, peers, System::nanoTime));
        // the defaults: a loop from one source is over 50/s at once (the path of a flood, dropped)
        defaults = new EdgeGuard(peers, Optional.of(new RateLimiter(
                new EdgeSecurity.RateLimit(true, 50, 200, 100_000, Duration.ofSeconds(60)), System::nanoTime)),
                new Bans(bans, peers, System::nanoTime));
        trusted = InetAddress.getByName("10.1.2.3");
        sources = new InetAddress[SOURCES];
        for (int i = 0; i < SOURCES; i++) {
            sources[i] = InetAddress.getByAddress(new byte[] {(byte) 198, 51, (byte) (i >> 8), (byte) i});
        }
    }

    @Benchmark
    public EdgeGuard.Verdict trustedPeer() {
        return admitsAll.check(trusted);
    }

    @Benchmark
    public EdgeGuard.Verdict oneSourceAdmitted() {
        return admitsAll.check(sources[0]);
    }

    @Benchmark
    public EdgeGuard.Verdict tenThousandSourcesAdmitted() {
        next = (next + 1) % SOURCES;
        return admitsAll.check(sources[next]);
    }

    @Benchmark
    public EdgeGuard.Verdict floodDropped() {
        return defaults.check(sources[1]);
    }
}
