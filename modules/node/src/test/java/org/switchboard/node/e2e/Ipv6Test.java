package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipRequest;

/** A node listening on an IPv6 address registers and connects two IPv6 phones: hosts in brackets everywhere. */
class Ipv6Test {
    private static final String SDP = "v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

    @Test
    void twoPhonesCallEachOtherOverIpv6() {
        Path work = TestFiles.workDir("ipv6");
        String address = "[::1]:" + FreePorts.udpAndTcp();
        Path subs = TestFiles.write(work.resolve("subscribers.csv"), List.of("alice@sip.test,pw", "bob@sip.test,pw"));
        Path conf = TestFiles.write(work.resolve("node.conf"), List.of("switchboard.proxy.authenticate-callers = off"));
        try (NodeProcess node = NodeProcess.start(work.resolve("node.log"), "--sip", address, "--data",
                work.resolve("data").toString(), "--subscribers", subs.toString(), "--config", conf.toString())
                .awaitReady(Duration.ofSeconds(90));
             DialogPhone alice = new DialogPhone("alice", address, "::1", Optional.empty());
             DialogPhone bob = new DialogPhone("bob", address, "::1", Optional.empty())) {
            assertEquals(200, bob.register().status());
            DialogPhone.Sent invite = alice.invite("sip:bob@sip.test", List.of(), SDP);
            SipRequest atBob = bob.awaitRequest("INVITE");
            String port = address.substring(address.lastIndexOf(':') + 1);
            String via = atBob.headers("via").get(0);
            assertTrue(via.matches("SIP/2\\.0/UDP \\[[0:]+1\\]:" + port + ";.*"), "our Via names [::1]:port: " + via);
            String recordRoute = atBob.headers("record-route").get(0);
            assertTrue(recordRoute.matches("<sip:\\[[0:]+1\\]:" + port + ";lr;.*"), recordRoute);
            bob.answer(atBob, 200, "OK", List.of(), "application/sdp", SDP);
            assertEquals(200, alice.await(invite).status());
            bob.awaitRequest("ACK");
            DialogPhone.Sent bye = alice.request(invite.callId(), "BYE", List.of(), null, null);
            bob.answer(bob.awaitRequest("BYE"), 200, "OK");
            assertEquals(200, alice.await(bye).status());
        }
    }
}
