package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipRequest;

/**
 * An answered call whose core node is killed with SIGKILL, and whose phones then say nothing more (they died with
 * it, say): no request will ever wake its entity on the survivors, yet the call must end when its session timer
 * runs out, with a BYE to each phone and its end record in the journal. The call sweeper (a cluster singleton on
 * the core nodes, which may itself have been on the killed node) wakes it through sharding.
 */
class CallDeadlineAfterCrashTest {
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";
    private static final int SESSION_EXPIRES = 15;
    private static final Duration READY = Duration.ofSeconds(120);

    @Test
    void anAnsweredCallWhoseNodeDiedEndsAtItsSessionExpiryWithByesToBothPhones() {
        Path work = TestFiles.workDir("deadline-crash");
        List<String> config = List.of("switchboard.proxy.authenticate-callers = off",
                "switchboard.session.min-session-expires = 2s", "switchboard.session.sweep-interval = 1s");
        try (TestCluster cluster = TestCluster.withPostgres(work, 2)) {
            TestCluster.Member transport = cluster.startCoresAndTransport(2, config, READY, "alice@sip.test,pw",
                    "bob@sip.test,pw");

            try (TwoPhones phones = TwoPhones.withBobRegistered(transport.sip)) {
                DialogPhone alice = phones.alice();
                DialogPhone bob = phones.bob();
                DialogPhone.Sent invite = alice.invite("sip:bob@sip.test",
                        List.of("Session-Expires: " + SESSION_EXPIRES + ";refresher=uac", "Supported: timer"), SDP);
                SipRequest atBob = bob.awaitRequest("INVITE");
                bob.answer(atBob, 200, "OK", List.of("Session-Expires: " + SESSION_EXPIRES + ";refresher=uac",
                        "Require: timer"), "application/sdp", SDP);
                assertEquals(200, alice.await(invite).status());
                long answered = System.nanoTime();
                bob.awaitRequest("ACK");
                String callId = invite.callId();

                // the core node that holds the call dies; nobody refreshes the session or hangs up
                String shard = TestCluster.shardOf(callId);
                List<TestCluster.Member> holders = new ArrayList<>();
                Await.until("a core node hosts the call's shard " + shard, Duration.ofSeconds(10), () -> {
                    holders.clear();
                    for (String name : List.of("core-1", "core-2")) {
                        if (TestCluster.shardsOf(cluster.member(name), "Call").contains(shard)) {
                            holders.add(cluster.member(name));
                        }
                    }
                    return !holders.isEmpty();
                }, cluster::tails);
                holders.get(0).process.kill(Duration.ofSeconds(30));

                // both phones get the proxy's BYE: not before the session ran out, and soon after (the failover,
                // then one sweep interval)
                SipRequest byeAtBob = bob.awaitRequest("BYE", Duration.ofSeconds(SESSION_EXPIRES + 40));
                long endedAfter = Duration.ofNanos(System.nanoTime() - answered).toMillis();
                bob.answer(byeAtBob, 200, "OK");
                SipRequest byeAtAlice = alice.awaitRequest("BYE", Duration.ofSeconds(10));
                alice.answer(byeAtAlice, 200, "OK");
                assertEquals(callId, byeAtBob.callId());
                assertEquals(callId, byeAtAlice.callId());
                assertTrue(endedAfter >= SESSION_EXPIRES * 1000L - 500, "ended " + endedAfter + " ms after the answer");
                assertTrue(endedAfter <= (SESSION_EXPIRES + 30) * 1000L, "ended " + endedAfter + " ms after the answer");

                // the end record is in the journal
                Await.until("the call's end is journalled", Duration.ofSeconds(10),
                        () -> lastOf(cluster.journalledEvents("Call|" + callId)).endsWith("CallEnded"), cluster::tails);
            }
        }
    }

    private static String lastOf(List<String> events) {
        return events.isEmpty() ? "" : events.get(events.size() - 1);
    }
}
