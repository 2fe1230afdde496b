package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/**
 * A phone on a TCP connection to one transport node is reachable through every other (RFC 5626 §5): a call that
 * enters the cluster through transport node 2 reaches a phone connected to transport node 1 over its connection
 * (the phone listens on no port), and so do the call's ACK and BYE. When transport node 1 dies (SIGKILL), its
 * connections die with it: a call to the phone fails at once (430 Flow Failed, relayed as 480), not after the
 * INVITE's 32 s timeout; and once the phone has registered again over TCP through transport node 2 it is
 * reachable again.
 */
class TcpFlowsClusterTest {
    private static final Duration READY = Duration.ofSeconds(120);
    private static final String SDP = "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4002 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    @Test
    void aTcpPhoneOnOneTransportNodeIsCalledThroughAnother() {
        Path work = TestFiles.workDir("tcp-flows-cluster");
        List<String> config = List.of("switchboard.proxy.authenticate-callers = off");
        try (TestCluster cluster = TestCluster.withPostgres(work, 1)) {
            cluster.startCores(1, config, READY);
            Path subscribers = TestFiles.subscribers(work, 0, "callee@sip.test,pw");
            TestCluster.Member first = cluster.add("transport-1", "transport", "127.0.0.31", config,
                    "--subscribers", subscribers.toString());
            TestCluster.Member second = cluster.add("transport-2", "transport", "127.0.0.32", config);
            first.process.awaitReady(READY);
            second.process.awaitReady(READY);
            String instance = UUID.randomUUID().toString();

            try (TcpPhone phone = new TcpPhone("callee", first.sip, instance);
                 DialogPhone caller = new DialogPhone("caller", second.sip)) {
                assertEquals(200, phone.register().status(), cluster.tails());
                // the receptionist lists transport node 1 on node 2 shortly after both are up
                awaitAnsweredCall(caller, phone, cluster);

                first.process.kill(Duration.ofSeconds(30));
                Await.until("transport node 2 sees transport node 1 unreachable", Duration.ofSeconds(30),
                        () -> unreachable(second, first), cluster::tails);
                long started = System.nanoTime();
                SipResponse failed = caller.await(caller.invite("sip:callee@sip.test", List.of(), SDP));
                long tookMillis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(failed.status() == 480 || failed.status() == 430,
                        "a call to the phone whose connection died fails: " + failed.status() + cluster.tails());
                assertTrue(tookMillis < 5000, "it fails at once, not at the INVITE's timeout: " + tookMillis + " ms");
            }

            try (TcpPhone phone = new TcpPhone("callee", second.sip, instance);
                 DialogPhone caller = new DialogPhone("caller", second.sip)) {
                assertEquals(200, phone.register().status(), cluster.tails());
                awaitAnsweredCall(caller, phone, cluster);
            }
        }
    }

    /**
     * Calls the phone until a call is answered (the first may come before the transport nodes list each other),
     * then checks the call's ACK and BYE came over the phone's connection and the BYE was answered.
     */
    private static void awaitAnsweredCall(DialogPhone caller, TcpPhone phone, TestCluster cluster) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            DialogPhone.Sent invite = caller.invite("sip:callee@sip.test", List.of(), SDP);
            SipResponse answer = caller.await(invite);
            if (answer.status() == 200) {
                SipRequest atPhone = phone.awaitRequest("INVITE", invite.callId());
                assertTrue(atPhone.headers("record-route").size() >= 1, "the call is record-routed");
                phone.awaitRequest("ACK", invite.callId());
                SipResponse bye = caller.await(caller.request(invite.callId(), "BYE", List.of(), null, null));
                assertEquals(200, bye.status(), cluster.tails());
                phone.awaitRequest("BYE", invite.callId());
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the phone was never reached: last answer " + answer.status() + cluster.tails());
            }
        }
    }

    /** Whether {@code observer}'s cluster view marks {@code node} unreachable or has removed it. */
    private static boolean unreachable(TestCluster.Member observer, TestCluster.Member node) {
        TestCluster.HttpResult r = TestCluster.get(observer, "/cluster/members");
        if (r.status() != 200) {
            return false;
        }
        String address = java.util.regex.Pattern.quote(node.host + ":" + node.clusterPort);
        // entries of the "unreachable" list are the ones with "observedBy"
        return !r.body().contains(node.host + ":" + node.clusterPort) || java.util.regex.Pattern
                .compile("\"node\"\\s*:\\s*\"[^\"]*" + address + "\"\\s*,\\s*\"observedBy\"").matcher(r.body()).find();
    }
}
