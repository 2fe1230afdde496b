package org.switchboard.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.switchboard.registrar.TestRequests.PHONE;
import static org.switchboard.testkit.DigestAnswers.answer;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.registrar.api.AccountCommand;
import org.switchboard.registrar.api.CallFinished;
import org.switchboard.registrar.api.CallLimits;
import org.switchboard.registrar.api.CheckCredentials;
import org.switchboard.registrar.api.CredentialsVerdict;
import org.switchboard.registrar.api.ProvisionAccount;
import org.switchboard.registrar.api.RegistrationCommand;
import org.switchboard.sip.auth.Digest;
import org.switchboard.testkit.EntityTestKit;
import org.switchboard.testkit.TestClock;
import org.switchboard.transport.api.TransportCommand;

import akka.Done;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/** Toll-fraud limits: an authenticated caller gets LIMITED past its account's concurrent and per-minute calls. */
class CallLimitsTest {
    @RegisterExtension
    static final EntityTestKit testKit = EntityTestKit.realTime("call-limits");
    private TestClock clock;
    private RegistrarSettings settings;
    private TestProbe<TransportCommand> transport;
    private String user;
    private String nonceChallenge;
    private int nc;

    @BeforeEach
    void fresh() {
        clock = TestClock.manual();
        transport = testKit.createTestProbe();
        user = "carol" + UUID.randomUUID().toString().substring(0, 8);
        nonceChallenge = "";
        nc = 0;
    }

    @Test
    void pastTheConcurrentLimitACallIsLimitedUntilOneFinishes() {
        ActorRef<RegistrationCommand> carol = account(limits(2, 0));
        assertEquals(CredentialsVerdict.Outcome.AUTHORISED, call(carol, "call-1").outcome());
        assertEquals(CredentialsVerdict.Outcome.AUTHORISED, call(carol, "call-2").outcome());
        assertEquals(CredentialsVerdict.Outcome.AUTHORISED, call(carol, "call-2").outcome(), "the same call counts once");
        CredentialsVerdict third = call(carol, "call-3");
        assertEquals(CredentialsVerdict.Outcome.LIMITED, third.outcome());
        assertEquals("concurrent call limit", third.reason());
        carol.tell(new CallFinished("call-1"));
        assertEquals(CredentialsVerdict.Outcome.AUTHORISED, call(carol, "call-3").outcome());
    }

    @Test
    void pastThePerMinuteLimitACallIsLimitedUntilTheMinuteIsOver() {
        ActorRef<RegistrationCommand> carol = account(limits(0, 3));
        for (int i = 1; i <= 3; i++) {
            assertEquals(CredentialsVerdict.Outcome.AUTHORISED, call(carol, "call-" + i).outcome());
            carol.tell(new CallFinished("call-" + i));
        }
        CredentialsVerdict fourth = call(carol, "call-4");
        assertEquals(CredentialsVerdict.Outcome.LIMITED, fourth.outcome());
        assertEquals("call rate limit", fourth.reason());
        clock.advance(Duration.ofSeconds(61));
        assertEquals(CredentialsVerdict.Outcome.AUTHORISED, call(carol, "call-4").outcome());
    }

    @Test
    void anAccountsOwnLimitsOverrideTheDefaultsAndSurviveARestart() {
        settings = new RegistrarSettings(3600, 60, 7200, 3, 300_000, "test-secret", clock).withLimits(limits(1, 0));
        var entity = EventSourcedBehaviorTestKit.<RegistrationCommand, RegistrationEvent, RegistrationState>create(
                testKit.system(), Registration.create(aor(), settings));
        entity.<Done>runCommand(r -> provision(r));
        var set = entity.<StatusReply<Done>>runCommand(r -> new AccountCommand.SetCallLimits(
                new CallLimits(Optional.of(3), Optional.empty()), r));
        assertEquals(true, set.reply().isSuccess());
        entity.restart();
        assertEquals(new CallLimits(Optional.of(3), Optional.empty()),
                ((RegistrationState.Provisioned) entity.getState()).callLimits());
        ActorRef<RegistrationCommand> carol = testKit.spawn(Registration.create(aor(), settings));
        for (int i = 1; i <= 3; i++) {
            assertEquals(CredentialsVerdict.Outcome.AUTHORISED, call(carol, "call-" + i).outcome(), "call " + i);
        }
        assertEquals(CredentialsVerdict.Outcome.LIMITED, call(carol, "call-4").outcome());
    }

    @Test
    void callsGoingWhenTheEntityPassivatesStillCountAfterwards() {
        ActorRef<RegistrationCommand> carol = account(limits(2, 0));
        assertEquals(CredentialsVerdict.Outcome.AUTHORISED, call(carol, "call-1").outcome());
        assertEquals(CredentialsVerdict.Outcome.AUTHORISED, call(carol, "call-2").outcome());
        carol.tell(new Registration.Passivate());
        transport.expectTerminated(carol, Duration.ofSeconds(3));

        ActorRef<RegistrationCommand> again = testKit.spawn(Registration.create(aor(), settings));
        nonceChallenge = ""; // the new incarnation's nonces
        assertEquals(CredentialsVerdict.Outcome.LIMITED, call(again, "call-3").outcome());
        again.tell(new CallFinished("call-2"));
        assertEquals(CredentialsVerdict.Outcome.AUTHORISED, call(again, "call-3").outcome());

        // the set written at the last passivation is replaced, not resurrected, at the next one
        again.tell(new CallFinished("call-1"));
        again.tell(new CallFinished("call-3"));
        again.tell(new Registration.Passivate());
        transport.expectTerminated(again, Duration.ofSeconds(3));
        ActorRef<RegistrationCommand> third = testKit.spawn(Registration.create(aor(), settings));
        nonceChallenge = "";
        assertEquals(CredentialsVerdict.Outcome.AUTHORISED, call(third, "call-4").outcome());
        assertEquals(CredentialsVerdict.Outcome.AUTHORISED, call(third, "call-5").outcome());
    }

    @Test
    void aCallWhoseEndIsNeverReportedStopsCountingAfterForgetAfter() {
        ActorRef<RegistrationCommand> carol = account(new RegistrarLimits(60_000, 20, 1, 0, 3_600_000));
        assertEquals(CredentialsVerdict.Outcome.AUTHORISED, call(carol, "call-1").outcome());
        assertEquals(CredentialsVerdict.Outcome.LIMITED, call(carol, "call-2").outcome());
        clock.advance(Duration.ofMinutes(61));
        nonceChallenge = ""; // the old nonce expired meanwhile
        assertEquals(CredentialsVerdict.Outcome.AUTHORISED, call(carol, "call-2").outcome());
    }

    @Test
    void whatCrossesNodesSurvivesSerialisation() {
        var serialization = new akka.actor.testkit.typed.javadsl.SerializationTestKit(testKit.system());
        TestProbe<CredentialsVerdict> verdicts = testKit.createTestProbe();
        TestProbe<StatusReply<Done>> acks = testKit.createTestProbe();
        for (Object message : List.of(
                new CheckCredentials("INVITE", "sip:dave@example.com", List.of("Digest username=\"carol\""), "call-1",
                        PHONE, transport.ref(), verdicts.ref()),
                new CredentialsVerdict(CredentialsVerdict.Outcome.LIMITED, List.of(), "call rate limit"),
                CredentialsVerdict.of(CredentialsVerdict.Outcome.AUTHORISED),
                new CallFinished("call-1"),
                new AccountCommand.SetCallLimits(new CallLimits(Optional.of(5), Optional.empty()), acks.ref()),
                new org.switchboard.transport.api.AuthFailed(PHONE, "sip:carol@example.com", 3))) {
            serialization.verifySerialization(message, true);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static RegistrarLimits limits(int concurrent, int perMinute) {
        return new RegistrarLimits(60_000, 20, concurrent, perMinute, 3_600_000);
    }

    private String aor() {
        return "sip:" + user + "@example.com";
    }

    private ProvisionAccount provision(ActorRef<Done> reply) {
        return new ProvisionAccount(user, "example.com", Digest.ha1(Digest.Algorithm.MD5, user, "example.com", "pw"),
                Digest.ha1(Digest.Algorithm.SHA_256, user, "example.com", "pw"), reply);
    }

    private ActorRef<RegistrationCommand> account(RegistrarLimits defaults) {
        settings = new RegistrarSettings(3600, 60, 7200, 3, 300_000, "test-secret", clock).withLimits(defaults);
        ActorRef<RegistrationCommand> entity = testKit.spawn(Registration.create(aor(), settings));
        TestProbe<Done> done = testKit.createTestProbe();
        entity.tell(provision(done.ref()));
        done.receiveMessage();
        return entity;
    }

    /** An INVITE's credentials check with valid credentials (a 407 first when there is no nonce yet). */
    private CredentialsVerdict call(ActorRef<RegistrationCommand> entity, String callId) {
        if (nonceChallenge.isEmpty()) {
            CredentialsVerdict challenge = check(entity, List.of(), callId);
            assertEquals(CredentialsVerdict.Outcome.CHALLENGE, challenge.outcome());
            nonceChallenge = challenge.challenges().get(0);
            nc = 0;
        }
        return check(entity, List.of(answer(nonceChallenge, user, "pw", "INVITE", "sip:dave@example.com", ++nc)), callId);
    }

    private CredentialsVerdict check(ActorRef<RegistrationCommand> entity, List<String> credentials, String callId) {
        TestProbe<CredentialsVerdict> verdict = testKit.createTestProbe();
        entity.tell(new CheckCredentials("INVITE", "sip:dave@example.com", credentials, callId, PHONE, transport.ref(),
                verdict.ref()));
        return verdict.receiveMessage();
    }
}
