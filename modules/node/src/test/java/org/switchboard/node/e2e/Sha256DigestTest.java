package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.auth.DigestCredentials;
import org.switchboard.testkit.DigestAnswers;

/**
 * A domain configured for SHA-256 digest only ({@code registrar.digest-algorithms-by-domain}, RFC 7616): phones
 * register and place an authenticated call with SHA-256 responses (computed by the test with the JDK, see
 * {@link DigestAnswer}), and an MD5 response is not taken there.
 */
class Sha256DigestTest {
    @RegisterExtension
    static final SingleNode node = SingleNode.of("sha256", List.of("alice@sip.test,pw", "bob@sip.test,pw", "carol@sip.test,carolpw"),
            List.of("switchboard.proxy.authenticate-callers = on",
                    "switchboard.registrar.digest-algorithms-by-domain { \"sip.test\" = [SHA-256] }"));

    @Test
    void theRegistrarChallengesWithSha256AndTakesOnlyASha256Response() {
        try (UdpPhone carol = new UdpPhone(node.port())) {
            Optional<String> contact = Optional.of("<sip:carol@127.0.0.1:" + carol.port() + ">");
            SipResponse challenge = carol.register("carol", contact, Optional.of(600), Optional.empty());
            assertEquals(401, challenge.status());
            List<String> offered = challenge.headers("www-authenticate");
            assertEquals(1, offered.size(), "one challenge: " + offered);
            DigestCredentials c = DigestCredentials.parse(offered.get(0));
            assertEquals("SHA-256", c.algorithm(), offered.get(0));
            assertEquals("sip.test", c.realm());
            assertTrue(c.qop().orElse("").contains("auth"), offered.get(0));

            SipResponse md5 = carol.register("carol", contact, Optional.of(600),
                    Optional.of(carol.authorization(challenge, "carol", "carolpw", "MD5")));
            assertEquals(401, md5.status(), "the right password in MD5 is challenged again in a SHA-256 domain");

            SipResponse sha = carol.registerWithAuth("carol", "carol", "carolpw", contact, Optional.of(600));
            assertEquals(200, sha.status(), "a SHA-256 response registers");
            assertTrue(sha.contacts().stream().anyMatch(b -> b.uri().toString().equals("sip:carol@127.0.0.1:" + carol.port())),
                    "the binding is in the 200\n" + sha);
        }
    }

    @Test
    void aPhoneRegistersThenPlacesACallAnsweringThe407WithSha256() {
        try (DialogPhone alice = new DialogPhone("alice", node.address()); DialogPhone bob = new DialogPhone("bob", node.address())) {
            assertEquals(200, alice.register().status(), "alice registers with SHA-256");
            assertEquals(200, bob.register().status(), "bob registers with SHA-256");

            String offer = sdp("alice");
            DialogPhone.Sent first = alice.invite("sip:bob@sip.test", List.of(), offer);
            SipResponse challenge = alice.await(first);
            assertEquals(407, challenge.status(), "the caller is challenged");
            String proxyAuthenticate = challenge.header("proxy-authenticate").orElseThrow();
            assertEquals("SHA-256", DigestCredentials.parse(proxyAuthenticate).algorithm(), proxyAuthenticate);

            // the same call again (same Call-ID and From tag, next CSeq), with credentials (RFC 3261 §22.2)
            String credentials = DigestAnswers.answer(proxyAuthenticate, "alice", "pw", "INVITE", "sip:bob@sip.test", 1);
            DialogPhone.Sent invite = alice.request(first.callId(), "INVITE",
                    List.of("Proxy-Authorization: " + credentials), "application/sdp", offer);
            SipRequest atBob = bob.awaitRequest("INVITE");
            assertEquals(first.callId(), atBob.callId());
            assertTrue(atBob.headers("proxy-authorization").isEmpty(), "the proxy consumed the credentials\n" + atBob);
            bob.answer(atBob, 200, "OK", List.of(), "application/sdp", sdp("bob"));
            SipResponse ok = alice.await(invite);
            assertEquals(200, ok.status(), "the authenticated call is answered");
            bob.awaitRequest("ACK");

            DialogPhone.Sent bye = alice.request(first.callId(), "BYE", List.of(), null, null);
            bob.answer(bob.awaitRequest("BYE"), 200, "OK");
            assertEquals(200, alice.await(bye).status());
        }
    }

    private static String sdp(String user) {
        return "v=0\r\no=" + user + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
    }
}
