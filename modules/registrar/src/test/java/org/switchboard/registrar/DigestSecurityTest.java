package org.switchboard.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.registrar.TestRequests.PHONE;
import static org.switchboard.registrar.TestRequests.register;
import static org.switchboard.testkit.DigestAnswers.answer;
import static org.switchboard.testkit.SipText.response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.registrar.api.CheckCredentials;
import org.switchboard.registrar.api.CredentialsVerdict;
import org.switchboard.registrar.api.Lookup;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.registrar.api.ProvisionAccount;
import org.switchboard.registrar.api.RegistrationCommand;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.auth.Digest;
import org.switchboard.sip.auth.DigestCredentials;
import org.switchboard.testkit.DigestAnswers;
import org.switchboard.testkit.EntityTestKit;
import org.switchboard.testkit.TestClock;
import org.switchboard.transport.api.AuthFailed;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.TransportCommand;

import akka.Done;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * Digest authentication as an attacker meets it: no way to tell users that exist from users that do not, no
 * replay of a captured Authorization (not even after the entity was stopped and started again), the digest uri
 * bound to the Request-URI, qop=auth required, and every failed credential reported to the transport.
 */
class DigestSecurityTest {
    @RegisterExtension
    static final EntityTestKit testKit = EntityTestKit.realTime("digest-security");
    private TestClock clock;
    private RegistrarSettings settings;
    private TestProbe<TransportCommand> transport;
    private String known;
    private String unknown;
    private final String callId = UUID.randomUUID().toString();
    private long cseq = 1;

    @BeforeEach
    void fresh() {
        clock = TestClock.manual();
        settings = new RegistrarSettings(3600, 60, 7200, 3, 300_000, "test-secret", clock)
                .withLimits(new RegistrarLimits(60_000, 3, 10, 30, 3_600_000));
        transport = testKit.createTestProbe();
        String id = UUID.randomUUID().toString().substring(0, 8);
        known = "alice" + id;
        unknown = "nobody" + id;
    }

    @Test
    void anUnknownUserIsChallengedExactlyLikeAKnownOne() {
        ActorRef<RegistrationCommand> alice = provisioned(known, "alicepw");
        ActorRef<RegistrationCommand> nobody = testKit.spawn(Registration.create(aor(unknown), settings));
        SipResponse a = send(alice, register(known, callId, cseq, Optional.empty(), transport.ref()));
        SipResponse n = send(nobody, register(unknown, callId, cseq, Optional.empty(), transport.ref()));
        assertEquals(401, a.status());
        assertEquals(a.status() + " " + a.reason(), n.status() + " " + n.reason());
        assertEquals(a.headers("www-authenticate").stream().map(DigestAnswers::withoutNonce).toList(),
                n.headers("www-authenticate").stream().map(DigestAnswers::withoutNonce).toList(),
                "same realm, same algorithms in the same order, same qop");
        assertEquals(headerNames(a), headerNames(n));
        String nonceShape = "[0-9a-f]{1,16}\\.[0-9a-f]{16}\\.[0-9a-f]{32}";
        assertTrue(nonceOf(a).matches(nonceShape) && nonceOf(n).matches(nonceShape), nonceOf(a) + " / " + nonceOf(n));

        // the same for callers (407): the verdicts differ only in the nonce
        CredentialsVerdict ca = check(alice, List.of(), "call-1");
        CredentialsVerdict cn = check(nobody, List.of(), "call-1");
        assertEquals(CredentialsVerdict.Outcome.CHALLENGE, ca.outcome());
        assertEquals(ca.outcome(), cn.outcome());
        assertEquals(ca.challenges().stream().map(DigestAnswers::withoutNonce).toList(),
                cn.challenges().stream().map(DigestAnswers::withoutNonce).toList());
    }

    @Test
    void aWrongPasswordAndAnUnknownUserBothEndIn403AndAreReportedToTheTransport() {
        ActorRef<RegistrationCommand> alice = provisioned(known, "alicepw");
        ActorRef<RegistrationCommand> nobody = testKit.spawn(Registration.create(aor(unknown), settings));
        SipResponse wrong = authenticate(alice, known, "guess");
        SipResponse missing = authenticate(nobody, unknown, "guess");
        assertEquals(403, wrong.status());
        assertEquals(wrong.status() + " " + wrong.reason(), missing.status() + " " + missing.reason());
        assertEquals(headerNames(wrong), headerNames(missing));
        assertEquals(List.of(new AuthFailed(PHONE, aor(known), 1), new AuthFailed(PHONE, aor(unknown), 1)), reports,
                "each failure reported with its source and the AOR's count");
        reports.clear();
        authenticate(nobody, unknown, "guess2");
        assertEquals(List.of(new AuthFailed(PHONE, aor(unknown), 2)), reports, "the AOR's failures are counted");

        // the window slides: a minute later the count starts again
        clock.advance(Duration.ofSeconds(61));
        reports.clear();
        authenticate(nobody, unknown, "guess3");
        assertEquals(List.of(new AuthFailed(PHONE, aor(unknown), 1)), reports);

        // a caller's wrong credentials (407) are refused and reported the same way
        for (ActorRef<RegistrationCommand> entity : List.of(alice, nobody)) {
            String user = entity == alice ? known : unknown;
            CredentialsVerdict challenge = check(entity, List.of(), "call-1");
            CredentialsVerdict refused = check(entity, List.of(answer(challenge.challenges().get(0), user, "guess",
                    "INVITE", "sip:bob@example.com", 1)), "call-1");
            assertEquals(CredentialsVerdict.Outcome.FORBIDDEN, refused.outcome());
            AuthFailed report = transport.expectMessageClass(AuthFailed.class);
            assertEquals(PHONE, report.source());
            assertEquals(aor(user), report.aor());
        }
    }

    @Test
    void theRightPasswordStillRegisters() {
        ActorRef<RegistrationCommand> alice = provisioned(known, "alicepw");
        assertEquals(200, authenticate(alice, known, "alicepw").status());
        assertEquals(List.of(), reports);
    }

    @Test
    void aDigestUriThatIsNotTheRequestUriIsRefused() {
        var entity = EventSourcedBehaviorTestKit.<RegistrationCommand, RegistrationEvent, RegistrationState>create(
                testKit.system(), Registration.create(aor(known), settings));
        entity.<Done>runCommand(r -> provision(known, "alicepw", r));
        SipResponse challenge = run(entity, Optional.empty());
        String elsewhere = answer(challenge.header("www-authenticate").orElseThrow(), known, "alicepw", "REGISTER",
                "sip:other.example.net", 1);
        var result = entity.runCommand(register(known, callId, cseq++, Optional.of(elsewhere), transport.ref()));
        assertTrue(result.events().isEmpty(), "nothing bound");
        assertEquals(400, next().status());

        // the same URI with the host in other case names the same resource (RFC 3261 §19.1.4)
        String sameUri = answer(challenge.header("www-authenticate").orElseThrow(), known, "alicepw", "REGISTER",
                "sip:EXAMPLE.com", 2);
        entity.runCommand(register(known, callId, cseq++, Optional.of(sameUri), transport.ref()));
        assertEquals(200, next().status());
    }

    @Test
    void credentialsWithoutQopAreRefused() {
        var entity = EventSourcedBehaviorTestKit.<RegistrationCommand, RegistrationEvent, RegistrationState>create(
                testKit.system(), Registration.create(aor(known), settings));
        entity.<Done>runCommand(r -> provision(known, "alicepw", r));
        SipResponse challenge = run(entity, Optional.empty());
        DigestCredentials c = DigestCredentials.parse(challenge.header("www-authenticate").orElseThrow());
        String ha1 = Digest.ha1(Digest.Algorithm.MD5, known, c.realm(), "alicepw");
        String response = Digest.responseWithoutQop(Digest.Algorithm.MD5, ha1, c.nonce(), "REGISTER", "sip:example.com");
        String rfc2069 = "Digest username=\"" + known + "\", realm=\"" + c.realm() + "\", nonce=\"" + c.nonce()
                + "\", uri=\"sip:example.com\", response=\"" + response + "\", algorithm=MD5";
        var result = entity.runCommand(register(known, callId, cseq++, Optional.of(rfc2069), transport.ref()));
        assertTrue(result.events().isEmpty(), "nothing bound");
        SipResponse refused = next();
        assertEquals(400, refused.status());
        assertTrue(refused.reason().contains("qop=auth"), refused.reason());
    }

    @Test
    void aCapturedRegisterReplayedAfterTheEntityWasPassivatedIsRefused() {
        ActorRef<RegistrationCommand> alice = provisioned(known, "alicepw");
        SipResponse challenge = send(alice, register(known, callId, cseq++, Optional.empty(), transport.ref()));
        var captured = register(known, callId, cseq++, Optional.of(answer(challenge.header("www-authenticate").orElseThrow(),
                known, "alicepw", "REGISTER", "sip:example.com", 1)), transport.ref());
        assertEquals(200, send(alice, captured).status());
        long boundUntil = lookup(alice).bindings().get(0).expiresAtMillis();

        stopByPassivation(alice);
        clock.advance(Duration.ofSeconds(30)); // well within the nonce's 300 s
        ActorRef<RegistrationCommand> again = testKit.spawn(Registration.create(aor(known), settings));
        SipResponse replayed = send(again, captured); // byte for byte, same branch and all
        assertEquals(401, replayed.status(), "the nonce-counts were forgotten: the nonce must not be accepted");
        assertTrue(replayed.header("www-authenticate").orElseThrow().contains("stale=true"),
                "the real phone re-authenticates without asking its user");
        assertEquals(boundUntil, lookup(again).bindings().get(0).expiresAtMillis(), "the replay refreshed nothing");
    }

    @Test
    void aCapturedProxyAuthorizationReplayedAfterTheEntityWasPassivatedIsRefused() {
        ActorRef<RegistrationCommand> alice = provisioned(known, "alicepw");
        CredentialsVerdict challenge = check(alice, List.of(), "call-1");
        List<String> captured = List.of(answer(challenge.challenges().get(0), known, "alicepw", "INVITE",
                "sip:bob@example.com", 1));
        assertEquals(CredentialsVerdict.Outcome.AUTHORISED, check(alice, captured, "call-1").outcome());
        assertEquals(CredentialsVerdict.Outcome.CHALLENGE, check(alice, captured, "call-2").outcome(), "replay, same incarnation");
        stopByPassivation(alice);
        ActorRef<RegistrationCommand> again = testKit.spawn(Registration.create(aor(known), settings));
        CredentialsVerdict replayed = check(again, captured, "call-3");
        assertEquals(CredentialsVerdict.Outcome.CHALLENGE, replayed.outcome());
        assertTrue(replayed.challenges().get(0).contains("stale=true"), replayed.challenges().get(0));
    }

    @Test
    void aNonceIssuedForAnotherAorIsNotAccepted() {
        ActorRef<RegistrationCommand> alice = provisioned(known, "alicepw");
        ActorRef<RegistrationCommand> nobody = testKit.spawn(Registration.create(aor(unknown), settings));
        SipResponse foreign = send(nobody, register(unknown, callId, cseq++, Optional.empty(), transport.ref()));
        SipResponse answered = send(alice, register(known, callId, cseq++, Optional.of(answer(
                foreign.header("www-authenticate").orElseThrow(), known, "alicepw", "REGISTER", "sip:example.com", 1)),
                transport.ref()));
        assertEquals(401, answered.status());
        assertTrue(!answered.header("www-authenticate").orElseThrow().contains("stale"), "not ours at all: not stale");
    }

    // ---------------------------------------------------------------- helpers

    /** AuthFailed reports seen while waiting for responses. */
    private final List<AuthFailed> reports = new ArrayList<>();

    private static String aor(String user) {
        return "sip:" + user + "@example.com";
    }

    private static ProvisionAccount provision(String user, String password, ActorRef<Done> reply) {
        return new ProvisionAccount(user, "example.com", Digest.ha1(Digest.Algorithm.MD5, user, "example.com", password),
                Digest.ha1(Digest.Algorithm.SHA_256, user, "example.com", password), reply);
    }

    private ActorRef<RegistrationCommand> provisioned(String user, String password) {
        ActorRef<RegistrationCommand> entity = testKit.spawn(Registration.create(aor(user), settings));
        TestProbe<Done> done = testKit.createTestProbe();
        entity.tell(provision(user, password, done.ref()));
        done.receiveMessage();
        return entity;
    }

    private SipResponse authenticate(ActorRef<RegistrationCommand> entity, String user, String password) {
        SipResponse challenge = send(entity, register(user, callId, cseq++, Optional.empty(), transport.ref()));
        return send(entity, register(user, callId, cseq++, Optional.of(answer(challenge.header("www-authenticate")
                .orElseThrow(), user, password, "REGISTER", "sip:example.com", 1)), transport.ref()));
    }

    private SipResponse send(ActorRef<RegistrationCommand> entity, RegistrationCommand register) {
        entity.tell(register);
        return next();
    }

    private SipResponse run(EventSourcedBehaviorTestKit<RegistrationCommand, RegistrationEvent, RegistrationState> entity,
                            Optional<String> authorization) {
        entity.runCommand(register(known, callId, cseq++, authorization, transport.ref()));
        return next();
    }

    /** The next response the transport is asked to send, collecting the AuthFailed reports before it. */
    private SipResponse next() {
        while (true) {
            TransportCommand c = transport.receiveMessage(Duration.ofSeconds(3));
            if (c instanceof AuthFailed f) {
                reports.add(f);
            } else {
                return response(((Send) c).bytes());
            }
        }
    }

    private CredentialsVerdict check(ActorRef<RegistrationCommand> entity, List<String> credentials, String call) {
        TestProbe<CredentialsVerdict> verdict = testKit.createTestProbe();
        entity.tell(new CheckCredentials("INVITE", "sip:bob@example.com", credentials, call, PHONE, transport.ref(),
                verdict.ref()));
        return verdict.receiveMessage();
    }

    private LookupResult lookup(ActorRef<RegistrationCommand> entity) {
        TestProbe<LookupResult> result = testKit.createTestProbe();
        entity.tell(new Lookup(result.ref()));
        return result.receiveMessage();
    }

    private void stopByPassivation(ActorRef<RegistrationCommand> entity) {
        TestProbe<Object> watcher = testKit.createTestProbe();
        entity.tell(new Registration.Passivate());
        watcher.expectTerminated(entity, Duration.ofSeconds(3));
    }

    private static List<String> headerNames(SipResponse r) {
        String text = new String(r.bytes(), java.nio.charset.StandardCharsets.UTF_8);
        return text.lines().skip(1).takeWhile(l -> !l.isEmpty()).map(l -> l.substring(0, l.indexOf(':')).toLowerCase()).toList();
    }

    private static String nonceOf(SipResponse r) {
        return DigestCredentials.parse(r.header("www-authenticate").orElseThrow()).nonce();
    }
}
