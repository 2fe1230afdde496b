package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipRequest;

/**
 * Calls still being set up survive the loss of the core node that holds them: thirty calls ring at the callee, the
 * core node hosting the shards of many of them is killed with SIGKILL, and the callee answers every one after the
 * failover. The caller gets each 200 (relayed by its Via: the transactions died with the node), the dialog is
 * journalled from the 200 itself, and ACK and BYE then reach the callee through the survivors.
 */
class RingingCallsSurviveNodeCrashTest {
    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";
    private static final int CALLS = 30;
    private static final Duration READY = Duration.ofSeconds(120);
    private static final List<String> CORES = List.of("core-1", "core-2");

    @Test
    void thirtyRingingCallsAreAnsweredAckedAndEndedAfterTheirCoreNodeIsKilled() {
        Path work = TestFiles.workDir("ringing-crash");
        List<String> config = List.of("switchboard.proxy.authenticate-callers = off");
        try (TestCluster cluster = TestCluster.withPostgres(work, 2)) {
            TestCluster.Member transport = cluster.startCoresAndTransport(2, config, READY, "alice@sip.test,pw",
                    "bob@sip.test,pw");

            try (TwoPhones phones = TwoPhones.withBobRegistered(transport.sip)) {
                DialogPhone alice = phones.alice();
                DialogPhone bob = phones.bob();

                // thirty calls ringing at bob: each INVITE reached him and his 180 reached alice
                Map<String, DialogPhone.Sent> invites = new LinkedHashMap<>();
                Map<String, SipRequest> atBob = new HashMap<>();
                for (int i = 0; i < CALLS; i++) {
                    DialogPhone.Sent invite = alice.invite("sip:bob@sip.test", List.of(), SDP);
                    invites.put(invite.callId(), invite);
                    SipRequest received = bob.awaitRequest("INVITE");
                    atBob.put(received.callId(), received);
                    bob.answer(received, 180, "Ringing");
                    assertEquals(180, alice.awaitProvisional(invite, 180).status());
                }
                assertEquals(invites.keySet(), atBob.keySet());

                // the core node holding the most of them dies
                TestCluster.Member victim = holderOfMost(cluster, invites.keySet());
                List<String> lost = new ArrayList<>();
                for (String callId : invites.keySet()) {
                    if (TestCluster.shardsOf(victim, "Call").contains(TestCluster.shardOf(callId))) {
                        lost.add(callId);
                    }
                }
                assertTrue(!lost.isEmpty(), "the killed node held some of the ringing calls");
                victim.process.kill(Duration.ofSeconds(30));
                TestCluster.Member survivor = cluster.member(CORES.get(0).equals(victim.name) ? CORES.get(1) : CORES.get(0));
                String victimAddress = victim.host + ":" + victim.clusterPort;
                Await.until("the survivor removed the killed node from the cluster", Duration.ofSeconds(60),
                        () -> !TestCluster.get(survivor, "/cluster/members").body().contains(victimAddress), cluster::tails);

                // bob answers every call; like a phone, he repeats each 200 until its ACK comes (RFC 3261 §13.3.1.4),
                // here once a second: under the edge's per-source limit for thirty calls
                Map<String, Long> answeredAt = new HashMap<>();
                Await.until("alice has the 200 of every call and bob its ACK", Duration.ofSeconds(40), () -> {
                    boolean all = true;
                    for (String callId : invites.keySet()) {
                        DialogPhone.Sent invite = invites.get(callId);
                        if (invite.response().isDone()) {
                            assertEquals(200, alice.await(invite).status(), callId); // and alice acknowledges it
                        }
                        if (!bob.hasReceived("ACK", callId)) {
                            all = false;
                            Long last = answeredAt.get(callId);
                            if (last == null || System.nanoTime() - last > Duration.ofSeconds(1).toNanos()) {
                                bob.answer(atBob.get(callId), 200, "OK", List.of(), "application/sdp", SDP);
                                answeredAt.put(callId, System.nanoTime());
                            }
                        }
                    }
                    return all;
                }, () -> invites.values().stream().filter(i -> !i.response().isDone()).count() + " calls without a 200 at alice, "
                        + invites.keySet().stream().filter(id -> !bob.hasReceived("ACK", id)).count()
                        + " without an ACK at bob; the killed node held " + lost.size() + "\n" + cluster.tails());

                // and each call ends normally
                for (String callId : invites.keySet()) {
                    DialogPhone.Sent bye = alice.request(callId, "BYE", List.of(), null, null);
                    SipRequest byeAtBob = bob.awaitRequest("BYE");
                    assertEquals(callId, byeAtBob.callId());
                    bob.answer(byeAtBob, 200, "OK");
                    assertEquals(200, alice.await(bye).status(), "BYE of " + callId);
                }

                // the dialogs the survivors took over were journalled from their 200s, and their ends too
                for (String callId : lost) {
                    List<String> events = cluster.journalledEvents("Call|" + callId);
                    assertTrue(events.stream().anyMatch(e -> e.contains("CallAnswered")), callId + ": " + events);
                    assertTrue(events.get(events.size() - 1).contains("CallEnded"), callId + ": " + events);
                }
            }
        }
    }

    private static TestCluster.Member holderOfMost(TestCluster cluster, Set<String> callIds) {
        TestCluster.Member best = null;
        long bestCount = -1;
        for (String name : CORES) {
            Set<String> hosted = TestCluster.shardsOf(cluster.member(name), "Call");
            long count = callIds.stream().filter(id -> hosted.contains(TestCluster.shardOf(id))).count();
            if (count > bestCount) {
                best = cluster.member(name);
                bestCount = count;
            }
        }
        return best;
    }
}
