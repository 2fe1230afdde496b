package org.switchboard.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.switchboard.registrar.TestRequests.register;
import static org.switchboard.sip.auth.Digest.Algorithm.MD5;
import static org.switchboard.sip.auth.Digest.Algorithm.SHA_256;
import static org.switchboard.testkit.DigestAnswers.answer;
import static org.switchboard.testkit.SipText.response;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.registrar.api.ProvisionAccount;
import org.switchboard.registrar.api.RegistrationCommand;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.auth.Digest;
import org.switchboard.testkit.EntityTestKit;
import org.switchboard.testkit.TestClock;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.TransportCommand;

import akka.Done;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;

/**
 * The challenges a REGISTER meets follow the realm's digest policy: MD5 alone by default, SHA-256 (answered and
 * accepted) where the domain opted in, and an algorithm the realm does not offer is not accepted.
 */
class DigestAlgorithmsTest {
    @RegisterExtension
    static final EntityTestKit testKit = EntityTestKit.realTime("digest-algorithms");
    private final String callId = UUID.randomUUID().toString();
    private long cseq = 1;

    @Test
    void anOptedInDomainOffersSha256FirstAndAcceptsEitherAnswer() {
        DigestPolicy secure = DigestPolicy.INTEROPERABLE.withDomain("example.com", List.of(SHA_256, MD5));
        for (Digest.Algorithm answered : List.of(SHA_256, MD5)) {
            TestProbe<TransportCommand> transport = testKit.createTestProbe();
            ActorRef<RegistrationCommand> alice = provisioned("alice" + answered.ordinal(), secure);
            SipResponse challenge = send(alice, Optional.empty(), "alice" + answered.ordinal(), transport);
            List<String> offered = challenge.headers("www-authenticate");
            assertEquals(2, offered.size(), offered.toString());
            assertEquals(List.of(true, true), List.of(offered.get(0).contains("algorithm=SHA-256"),
                    offered.get(1).contains("algorithm=MD5")), offered.toString());
            String chosen = offered.get(answered == SHA_256 ? 0 : 1);
            SipResponse ok = send(alice, Optional.of(answer(answered, chosen, "alice" + answered.ordinal(), "pw",
                    "REGISTER", "sip:example.com", 1)), "alice" + answered.ordinal(), transport);
            assertEquals(200, ok.status(), answered + " answer accepted");
        }
    }

    @Test
    void aDomainWithoutItsOwnListOffersMd5AloneAndDoesNotTakeASha256Answer() {
        DigestPolicy policy = DigestPolicy.INTEROPERABLE.withDomain("secure.example.org", List.of(SHA_256, MD5));
        TestProbe<TransportCommand> transport = testKit.createTestProbe();
        ActorRef<RegistrationCommand> bob = provisioned("bob", policy);
        SipResponse challenge = send(bob, Optional.empty(), "bob", transport);
        assertEquals(List.of("MD5"), challenge.headers("www-authenticate").stream()
                .map(h -> h.replaceAll(".*algorithm=([A-Z0-9-]+).*", "$1")).toList());
        SipResponse again = send(bob, Optional.of(answer(SHA_256, challenge.header("www-authenticate").orElseThrow(),
                "bob", "pw", "REGISTER", "sip:example.com", 1)), "bob", transport);
        assertEquals(401, again.status(), "SHA-256 was not offered here: challenged again, not accepted");
    }

    private ActorRef<RegistrationCommand> provisioned(String user, DigestPolicy policy) {
        RegistrarSettings settings = new RegistrarSettings(3600, 60, 7200, 3, 300_000, "test-secret",
                TestClock.manual()).withDigest(policy);
        ActorRef<RegistrationCommand> entity = testKit.spawn(Registration.create("sip:" + user + "@example.com", settings));
        TestProbe<Done> done = testKit.createTestProbe();
        entity.tell(new ProvisionAccount(user, "example.com", Digest.ha1(MD5, user, "example.com", "pw"),
                Digest.ha1(SHA_256, user, "example.com", "pw"), done.ref()));
        done.receiveMessage();
        return entity;
    }

    private SipResponse send(ActorRef<RegistrationCommand> entity, Optional<String> authorization, String user,
                             TestProbe<TransportCommand> transport) {
        entity.tell(register(user, callId, cseq++, authorization, transport.ref()));
        while (true) {
            if (transport.receiveMessage(Duration.ofSeconds(3)) instanceof Send s) {
                return response(s.bytes());
            }
        }
    }
}
