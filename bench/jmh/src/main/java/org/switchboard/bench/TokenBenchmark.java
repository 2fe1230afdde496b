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
import org.switchboard.sip.Branches;

/**
 * The keyed MACs a call costs (issue #11): each forwarded request derives a branch, each response's branch is
 * verified at the edge, each INVITE records a dialog token and each in-dialog request verifies one (twice at
 * worst, once per tag). A call of the bench scenario (INVITE, 100/180/200, ACK, BYE/200) does about 8 of these.
 *
 * <pre>
 * mvn -B -q -DskipTests package -pl bench/jmh -am
 * java -cp "bench/jmh/target/classes:bench/jmh/target/lib/*" org.openjdk.jmh.Main TokenBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenBenchmark {
    private static final String CALL_ID = "a84b4c76e66710@pc33.atlanta.example.com";
    private Branches branches;
    private String branch;
    private String token;

    @Setup
    public void setUp() {
        branches = new Branches("a-cluster-secret-of-forty-characters-xxxx");
        branch = branches.derive(CALL_ID, "z9hG4bK776asdhds|INVITE|sip:bob@192.0.2.4|0");
        token = branches.dialogToken(CALL_ID, "1928301774");
        if (!branches.isOurs(branch, CALL_ID) || !branches.isDialogToken(token, CALL_ID, "1928301774")) {
            throw new IllegalStateException("tokens do not verify");
        }
    }

    @Benchmark
    public String deriveBranch() {
        return branches.derive(CALL_ID, "z9hG4bK776asdhds|INVITE|sip:bob@192.0.2.4|0");
    }

    @Benchmark
    public boolean verifyBranch() {
        return branches.isOurs(branch, CALL_ID);
    }

    @Benchmark
    public boolean verifyDialogToken() {
        return branches.isDialogToken(token, CALL_ID, "1928301774");
    }
}
