package org.switchboard.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.switchboard.registrar.api.CheckCredentials;
import org.switchboard.registrar.api.CredentialsVerdict;
import org.switchboard.registrar.api.HandleRegister;
import org.switchboard.registrar.api.RegistrationCommand;
import org.switchboard.sip.SipResponse;
import org.switchboard.testkit.DigestAnswers;
import org.switchboard.testkit.SipText;
import org.switchboard.transport.api.AuthFailed;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.TransportCommand;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;

/**
 * A phone of the retention test: it refreshes its registration with one Call-ID and rising CSeq as RFC 3261 §10.2.4
 * asks, answers the registrar's challenges (reusing a nonce with the next nonce-count until it is refused), and
 * remembers what the last 200 OK acknowledged.
 */
final class RetentionPhone {
    static final String PASSWORD = "pw";
    private static final Duration WAIT = Duration.ofSeconds(10);

    final String user;
    final String aor;
    final int expires;
    private final String callId = UUID.randomUUID().toString();
    private long cseq = 1;
    private int port;
    private Optional<String> challenge = Optional.empty();
    private int nc;
    private TestProbe<TransportCommand> transport;
    ActorRef<RegistrationCommand> entity;
    /** The contact and expiry of the last 200 OK, and when it was sent. */
    String acknowledgedContact = "";
    long acknowledgedUntil;
    long acknowledgedAt;
    int registers;

    RetentionPhone(String user, int expires, int port) {
        this.user = user;
        this.aor = "sip:" + user + "@example.com";
        this.expires = expires;
        this.port = port;
    }

    /** The phone's entity in a (new) actor system, as sharding would start it on its next message. */
    void attach(ActorTestKit kit, ActorRef<RegistrationCommand> spawned) {
        transport = kit.createTestProbe();
        entity = spawned;
    }

    /** Its NAT mapping changed: the next REGISTER comes from, and binds, another port. */
    void movePort() {
        port++;
    }

    String contactUri() {
        return "sip:" + user + "@" + address();
    }

    /** Sends the next REGISTER, with an answer to the last challenge when there is one. */
    void sendRegister() {
        Optional<String> authorization = challenge.map(c -> DigestAnswers.answer(c, user, PASSWORD, "REGISTER",
                "sip:example.com", ++nc));
        HandleRegister register = TestRequests.register(address(), user, callId, cseq++,
                Optional.of("<" + contactUri() + ">"), Optional.of(expires), authorization, List.of(), transport.ref());
        entity.tell(register);
    }

    /** Reads the answer: true for a 200 (remembered), false for a challenge (kept for the next REGISTER). */
    boolean readAnswer(long now) {
        SipResponse r = response();
        if (r.status() == 401) {
            // the nonce-count is never reset: a challenge made in the same millisecond repeats the nonce
            challenge = Optional.of(r.header("www-authenticate").orElseThrow());
            return false;
        }
        assertEquals(200, r.status(), () -> aor + ": " + r);
        acknowledgedContact = contactUri();
        acknowledgedUntil = now + expires * 1000L;
        acknowledgedAt = now;
        registers++;
        return true;
    }

    /** A call placed by this phone, authenticated (407 then credentials) as the proxy does: AUTHORISED or not. */
    CredentialsVerdict.Outcome placeCall(ActorTestKit kit, String callId) {
        TestProbe<CredentialsVerdict> verdicts = kit.createTestProbe();
        entity.tell(new CheckCredentials("INVITE", "sip:bob@example.com", List.of(), callId, address(),
                transport.ref(), verdicts.ref()));
        CredentialsVerdict first = verdicts.receiveMessage(WAIT);
        assertEquals(CredentialsVerdict.Outcome.CHALLENGE, first.outcome());
        String answer = DigestAnswers.answer(first.challenges().get(0), user, PASSWORD, "INVITE", "sip:bob@example.com", ++nc);
        entity.tell(new CheckCredentials("INVITE", "sip:bob@example.com", List.of(answer), callId, address(),
                transport.ref(), verdicts.ref()));
        return verdicts.receiveMessage(WAIT).outcome();
    }

    private Peer address() {
        return new Peer("127.0.0.2", port);
    }

    private SipResponse response() {
        TransportCommand next = transport.receiveMessage(WAIT);
        while (next instanceof AuthFailed) {
            next = transport.receiveMessage(WAIT);
        }
        return SipText.response(((Send) next).bytes());
    }
}
