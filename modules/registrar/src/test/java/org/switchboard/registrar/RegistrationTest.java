package org.switchboard.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.registrar.api.AccountCommand;
import org.switchboard.registrar.api.AccountView;
import org.switchboard.registrar.api.AwakeRegistrations;
import org.switchboard.registrar.api.DirectCommand;
import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.registrar.api.HandleRegister;
import org.switchboard.registrar.api.Lookup;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.registrar.api.ProvisionAccount;
import org.switchboard.registrar.api.RegistrationCommand;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.auth.Digest;
import org.switchboard.testkit.DigestAnswers;
import org.switchboard.testkit.EntityTestKit;
import org.switchboard.testkit.SipText;
import org.switchboard.testkit.TestClock;
import org.switchboard.transport.api.AuthFailed;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.TransportCommand;
import org.switchboard.transport.overload.Overload;

import akka.Done;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/** The Registration entity's rules, driven with SIP bytes, checked on the responses and the persisted events. */
class RegistrationTest {
    private static final String AOR = "sip:alice@example.com";
    /** The phone registering: its Via and Contact name 127.0.0.1, as they do in every test here. */
    private static final Peer PHONE = new Peer("127.0.0.1", 5070);
    @RegisterExtension
    static final EntityTestKit testKit = EntityTestKit.realTime("registration");
    private TestClock clock;
    private EventSourcedBehaviorTestKit<RegistrationCommand, RegistrationEvent, RegistrationState> entity;
    private TestProbe<TransportCommand> transport;
    private int nc;

    @BeforeEach
    void fresh() {
        clock = TestClock.manual();
        RegistrarSettings settings = new RegistrarSettings(3600, 60, 7200, 3, 300_000, "test-secret", clock);
        entity = EventSourcedBehaviorTestKit.create(testKit.system(), Registration.create(AOR, settings));
        transport = testKit.createTestProbe();
    }

    @Test
    void anAorWithoutAccountIsChallengedThenRefusedAndNothingIsPersisted() {
        SipResponse challenge = send(register("alice", contact(5070), Optional.of(600), Optional.empty()));
        assertEquals(401, challenge.status(), "no 404: whether the user exists is not said");
        var result = entity.runCommand(register("alice", contact(5070), Optional.of(600),
                Optional.of(answer(challenge, "alice", "alicepw"))));
        assertTrue(result.events().isEmpty());
        assertEquals(403, responseSkippingReports().status());
    }

    @Test
    void anOverloadedNodeAnswersRegister503WithRetryAfterAndStoresNothing() {
        provision("alicepw");
        SipResponse challenge = send(register("alice", contact(5070), Optional.of(600), Optional.empty()));
        Overload overload = new Overload(Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(60), Duration.ZERO, 9, clock);
        overload.startMeasuring();
        for (int tick = 0; tick < 20; tick++) { // every tick late for 2 s: the share taken falls to nothing
            overload.dispatcherLag(Duration.ofSeconds(1).toNanos());
        }
        RegistrarSettings shedding = new RegistrarSettings(3600, 60, 7200, 3, 300_000, "test-secret", clock)
                .withOverload(overload);
        var busy = EventSourcedBehaviorTestKit.<RegistrationCommand, RegistrationEvent, RegistrationState>create(
                testKit.system(), Registration.create(AOR, shedding));
        busy.<Done>runCommand(reply -> new ProvisionAccount("alice", "example.com",
                Digest.ha1(Digest.Algorithm.MD5, "alice", "example.com", "alicepw"),
                Digest.ha1(Digest.Algorithm.SHA_256, "alice", "example.com", "alicepw"), reply));
        var result = busy.runCommand(register("alice", contact(5070), Optional.of(600),
                Optional.of(answer(challenge, "alice", "alicepw"))));
        assertTrue(result.events().isEmpty());
        SipResponse refused = response();
        assertEquals(503, refused.status());
        assertEquals("9", refused.header("retry-after").orElseThrow());
    }

    /** RFC 3608 and RFC 5626 §6: the 200 names the Service-Route and, for a phone that asked for a flow, its Flow-Timer. */
    @Test
    void theOkCarriesServiceRouteAndTheFlowTimerToOutboundPhones() {
        RegistrarSettings edged = new RegistrarSettings(3600, 60, 7200, 3, 300_000, "test-secret", clock)
                .withEdge(new EdgeOptions(List.of("<sip:core.example.com;lr>"), 90));
        entity = EventSourcedBehaviorTestKit.create(testKit.system(), Registration.create(AOR, edged));
        provision("alicepw");
        Optional<String> flowContact = Optional.of("<sip:alice@127.0.0.1:5070;ob>;+sip.instance=\"<urn:uuid:00000000-0000-0000-0000-000000000001>\";reg-id=1");
        SipResponse challenge = send(register("alice", flowContact, Optional.of(600), Optional.empty()));
        entity.runCommand(register("alice", flowContact, Optional.of(600), Optional.of(answer(challenge, "alice", "alicepw")),
                List.of("Supported: path, outbound")));
        SipResponse ok = response();
        assertEquals(200, ok.status());
        assertEquals(List.of("<sip:core.example.com;lr>"), ok.headers("service-route"));
        assertEquals("90", ok.header("flow-timer").orElseThrow());
        assertEquals("outbound", ok.header("require").orElseThrow());

        SipResponse again = send(register("alice", contact(5071), Optional.of(600), Optional.empty()));
        entity.runCommand(register("alice", contact(5071), Optional.of(600), Optional.of(answer(again, "alice", "alicepw"))));
        SipResponse plain = response();
        assertEquals(200, plain.status());
        assertTrue(plain.header("flow-timer").isEmpty(), "no outbound asked for: no Flow-Timer");
        assertEquals(List.of("<sip:core.example.com;lr>"), plain.headers("service-route"));
    }

    @Test
    void provisioningIsIdempotent() {
        assertInstanceOf(RegistrationEvent.AccountProvisioned.class, provision("alicepw").event());
        assertTrue(provision("alicepw").events().isEmpty());
        assertInstanceOf(RegistrationEvent.AccountProvisioned.class, provision("newpw").event());
    }

    @Test
    void challengeThenAuthorisedRegisterBindsTheContact() {
        provision("alicepw");
        SipResponse challenge = send(register("alice", contact(5070), Optional.of(600), Optional.empty()));
        assertEquals(401, challenge.status());
        List<String> challenges = challenge.headers("www-authenticate");
        assertEquals(1, challenges.size(), "MD5 alone by default (SHA-256 is opted in per domain: DigestAlgorithmsTest)");
        assertTrue(challenges.get(0).contains("realm=\"example.com\"") && challenges.get(0).contains("algorithm=MD5")
                && challenges.get(0).contains("qop=\"auth\""), challenges.get(0));

        var result = entity.runCommand(register("alice", contact(5070), Optional.of(600), Optional.of(answer(challenge, "alice", "alicepw"))));
        RegistrationEvent.BindingSaved saved = assertInstanceOf(RegistrationEvent.BindingSaved.class, result.event());
        assertEquals("sip:alice@127.0.0.1:5070", saved.binding().contact());
        SipResponse ok = response();
        assertEquals(200, ok.status());
        assertEquals("600", ok.contacts().get(0).params().get("expires").orElseThrow());
        assertTrue(ok.header("date").isPresent());
    }

    @Test
    void wrongPasswordOtherUserAndStaleNonce() {
        provision("alicepw");
        SipResponse challenge = send(register("alice", contact(5070), Optional.of(600), Optional.empty()));
        var wrong = entity.runCommand(register("alice", contact(5070), Optional.of(600), Optional.of(answer(challenge, "alice", "guess"))));
        assertTrue(wrong.events().isEmpty());
        assertEquals(403, responseSkippingReports().status(), "a fresh nonce and a wrong password: refused at once");

        entity.runCommand(register("alice", contact(5070), Optional.of(600), Optional.of(answer(challenge, "bob", "bobpw"))));
        assertEquals(403, responseSkippingReports().status());

        clock.advance(Duration.ofSeconds(301));
        entity.runCommand(register("alice", contact(5070), Optional.of(600), Optional.of(answer(challenge, "alice", "alicepw"))));
        SipResponse stale = response();
        assertEquals(401, stale.status());
        assertTrue(stale.header("www-authenticate").orElseThrow().contains("stale=true"));
    }

    @Test
    void aReplayedNonceCountIsRefused() {
        provision("alicepw");
        SipResponse challenge = send(register("alice", contact(5070), Optional.of(600), Optional.empty()));
        String auth = answer(challenge, "alice", "alicepw");
        assertEquals(200, send(register("alice", contact(5070), Optional.of(600), Optional.of(auth))).status());
        assertEquals(401, send(register("alice", contact(5070), Optional.of(600), Optional.of(auth))).status());
    }

    @Test
    void expiresZeroWildcardMinExpiresAndMaxBindings() {
        provision("alicepw");
        assertEquals(200, registerWithAuth(contact(5070), 600).status());
        assertEquals(200, registerWithAuth(contact(5071), 600).status());
        SipResponse removed = registerWithAuth(contact(5070), 0);
        assertEquals(List.of("sip:alice@127.0.0.1:5071"), removed.contacts().stream().map(c -> c.uri().toString()).toList());
        assertEquals(400, registerWithAuth(Optional.of("*"), 600).status(), "* needs Expires: 0");
        assertEquals(List.of(), registerWithAuth(Optional.of("*"), 0).contacts());
        SipResponse brief = registerWithAuth(contact(5072), 30);
        assertEquals(423, brief.status());
        assertEquals("60", brief.header("min-expires").orElseThrow());
        registerWithAuth(contact(5073), 600);
        registerWithAuth(contact(5074), 600);
        registerWithAuth(contact(5075), 600);
        SipResponse tooMany = registerWithAuth(contact(5076), 600);
        assertEquals(403, tooMany.status(), "at most 3 devices in this test's settings");
    }

    @Test
    void sameInstanceReplacesItsBinding() {
        provision("alicepw");
        String instance = ";+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\";reg-id=1";
        registerWithAuth(Optional.of("<sip:alice@127.0.0.1:5070>" + instance), 600);
        SipResponse ok = registerWithAuth(Optional.of("<sip:alice@127.0.0.1:6000>" + instance), 600);
        assertEquals(List.of("sip:alice@127.0.0.1:6000"), ok.contacts().stream().map(c -> c.uri().toString()).toList());
    }

    @Test
    void lookupOrdersByQAndForgetsExpiredBindings() {
        provision("alicepw");
        registerWithAuth(Optional.of("<sip:alice@127.0.0.1:5070>;q=0.5"), 600);
        registerWithAuth(Optional.of("<sip:alice@127.0.0.1:5071>;q=0.9"), 120);
        LookupResult found = lookup();
        assertEquals(LookupResult.Status.REGISTERED, found.status());
        assertEquals(List.of("sip:alice@127.0.0.1:5071", "sip:alice@127.0.0.1:5070"),
                found.bindings().stream().map(b -> b.contact()).toList());
        clock.advance(Duration.ofSeconds(121));
        assertEquals(List.of("sip:alice@127.0.0.1:5070"), lookup().bindings().stream().map(b -> b.contact()).toList());
        clock.advance(Duration.ofSeconds(600));
        assertEquals(LookupResult.Status.NOT_REGISTERED, lookup().status());
    }

    @Test
    void bindingsAndForwardingSurviveRestart() {
        provision("alicepw");
        registerWithAuth(contact(5070), 600);
        ForwardingRules rules = new ForwardingRules(Optional.empty(), Optional.of("sip:vm@example.com"),
                Optional.empty(), 0, Optional.empty());
        var set = entity.<StatusReply<Done>>runCommand(reply -> new AccountCommand.SetForwarding(rules, reply));
        assertTrue(set.reply().isSuccess());
        entity.restart();
        LookupResult after = lookup();
        assertEquals(List.of("sip:alice@127.0.0.1:5070"), after.bindings().stream().map(b -> b.contact()).toList());
        assertEquals(rules, after.forwarding());
    }

    @Test
    void aRefreshWithinTheDurableExpiryIsKeptInMemoryOnly() {
        provision("alicepw");
        registerWithAuth(contact(5070), 3600);
        clock.advance(Duration.ofSeconds(60));
        SipResponse challenge = send(register("alice", contact(5070), Optional.of(3600), Optional.empty()));
        var refresh = entity.runCommand(register("alice", contact(5070), Optional.of(3600),
                Optional.of(answer(challenge, "alice", "alicepw"))));
        assertTrue(refresh.events().isEmpty(), "durable expiry is an hour away, the device refreshes every minute");
        assertEquals("3600", response().contacts().get(0).params().get("expires").orElseThrow());
    }

    @Test
    void aRetransmittedRegisterGetsTheSameAnswerAndNoNewEvent() {
        provision("alicepw");
        SipResponse challenge = send(register("alice", contact(5070), Optional.of(600), Optional.empty()));
        HandleRegister authorised = register("alice", contact(5070), Optional.of(600), Optional.of(answer(challenge, "alice", "alicepw")));
        entity.runCommand(authorised);
        SipResponse first = response();
        var again = entity.runCommand(authorised);
        assertTrue(again.events().isEmpty());
        assertEquals(first, response());
    }

    @Test
    void aRegisterWhoseBindingCannotBeStoredGets503WithRetryAfterAndNever200() {
        provision("alicepw");
        SipResponse challenge = send(register("alice", contact(5070), Optional.of(600), Optional.empty()));
        entity.persistenceTestKit().failNextPersisted();
        try {
            entity.runCommand(register("alice", contact(5070), Optional.of(600), Optional.of(answer(challenge, "alice", "alicepw"))));
        } catch (AssertionError | RuntimeException persistFailed) {
            // the testkit reports the failed persist; what the phone gets is checked below
        }
        SipResponse refused = response();
        assertEquals(503, refused.status());
        assertEquals("5", refused.header("retry-after").orElse(""), "503 says when to retry");
        assertTrue(lookup().bindings().isEmpty(), "nothing was stored, nothing is bound");
    }

    @Test
    void disabledAccountsCannotRegister() {
        provision("alicepw");
        assertTrue(entity.<StatusReply<Done>>runCommand(AccountCommand.Disable::new).reply().isSuccess());
        assertEquals(403, registerWithAuth(contact(5070), 600).status());
        assertEquals(LookupResult.Status.DISABLED, lookup().status());
    }

    @Test
    void pathIsStoredAndReturned() {
        provision("alicepw");
        SipResponse challenge = send(register("alice", contact(5070), Optional.of(600), Optional.empty(),
                List.of("<sip:edge.example.com;lr>")));
        var result = entity.runCommand(register("alice", contact(5070), Optional.of(600),
                Optional.of(answer(challenge, "alice", "alicepw")), List.of("<sip:edge.example.com;lr>")));
        RegistrationEvent.BindingSaved saved = assertInstanceOf(RegistrationEvent.BindingSaved.class, result.event());
        assertEquals(List.of("<sip:edge.example.com;lr>"), saved.binding().path());
        assertEquals(List.of("<sip:edge.example.com;lr>"), response().headers("path"));
        assertEquals(List.of("<sip:edge.example.com;lr>"), lookup().bindings().get(0).path());
    }

    @Test
    void anOlderCseqOfTheSameCallIdIsRefused() {
        provision("alicepw");
        registerWithAuth(contact(5070), 600);
        cseq = 1; // same Call-ID, CSeq going backwards (RFC 3261 §10.3 step 7)
        SipResponse challenge = send(register("alice", contact(5070), Optional.of(600), Optional.empty()));
        SipResponse outOfOrder = send(register("alice", contact(5070), Optional.of(600),
                Optional.of(answer(challenge, "alice", "alicepw"))));
        assertEquals(500, outOfOrder.status());
    }

    @Test
    void operatorsRemoveABindingAndDeleteTheAccount() {
        provision("alicepw");
        registerWithAuth(contact(5070), 600);
        registerWithAuth(contact(5071), 600);
        var removed = entity.<StatusReply<Done>>runCommand(r -> new AccountCommand.RemoveBinding("sip:alice@127.0.0.1:5070", r));
        assertTrue(removed.reply().isSuccess());
        assertEquals(List.of("sip:alice@127.0.0.1:5071"), lookup().bindings().stream().map(b -> b.contact()).toList());
        var listed = entity.<LookupResult>runCommand(AccountCommand.ListBindings::new).reply();
        assertEquals(1, listed.bindings().size());
        assertTrue(entity.<StatusReply<Done>>runCommand(AccountCommand.Delete::new).reply().isSuccess());
        assertEquals(LookupResult.Status.UNKNOWN, lookup().status());
        assertEquals(401, send(register("alice", contact(5070), Optional.of(600), Optional.empty())).status(),
                "a deleted account is challenged like any other user");
    }

    @Test
    void operatorsSeeEachDevicesSoftwareAndRemoveEveryBindingAtOnce() {
        provision("alicepw");
        SipResponse challenge = send(register("alice", contact(5070), Optional.of(600), Optional.empty()));
        assertEquals(200, send(register("alice", contact(5070), Optional.of(600),
                Optional.of(answer(challenge, "alice", "alicepw")), List.of("User-Agent: Deskphone 1.0"))).status());
        AccountView seen = entity.<AccountView>runCommand(AccountCommand.Describe::new).reply();
        assertEquals("alice", seen.account().orElseThrow().username());
        assertEquals(Optional.of("Deskphone 1.0"), seen.bindings().get(0).userAgent());
        assertTrue(seen.bindings().get(0).receivedBy().isPresent(), "the member whose transport received it");
        assertTrue(entity.<StatusReply<Done>>runCommand(r -> new AccountCommand.RemoveBinding("*", r)).reply().isSuccess());
        assertEquals(List.of(), entity.<AccountView>runCommand(AccountCommand.Describe::new).reply().bindings());
        assertTrue(entity.<StatusReply<Done>>runCommand(r -> new AccountCommand.RemoveBinding("*", r)).reply().isSuccess(),
                "none left to remove is no error");
        assertTrue(entity.<AccountView>runCommand(AccountCommand.Describe::new).reply().account().isPresent());
    }

    @Test
    void bindingsThatExpiredWhileAsleepAreRemovedWithAnEventOnRecovery() {
        provision("alicepw");
        registerWithAuth(contact(5070), 120);
        clock.advance(Duration.ofSeconds(121));
        entity.restart();
        assertEquals(LookupResult.Status.NOT_REGISTERED, lookup().status());
        // the state changes only by events: the expired binding is gone from it, so a removal was persisted
        RegistrationState.Provisioned state = assertInstanceOf(RegistrationState.Provisioned.class, entity.getState());
        assertTrue(state.bindings().isEmpty(), state.toString());
    }

    /**
     * Passivation writes a held refresh only when the durability rule needs it: while the durable expiry is still two
     * of the device's refresh intervals away, the next incarnation reads the durable binding and the device is back
     * long before it lapses.
     */
    @Test
    void passivationLeavesAHeldRefreshUnwrittenWhileTheDurableExpiryCoversTheDevice() {
        var live = spawnProvisioned(AOR_PASSIVATED);
        registerOn(live, "pw", 3600);
        long durable = clock.millis() + 3_600_000;
        clock.advance(Duration.ofSeconds(60));
        registerOn(live, "pw", 3600);
        clock.advance(Duration.ofSeconds(120)); // sharding's idle timeout
        passivate(live);
        LookupResult after = lookupOn(testKit.spawn(Registration.create(AOR_PASSIVATED, settings())));
        assertEquals(LookupResult.Status.REGISTERED, after.status());
        assertEquals(durable, after.bindings().get(0).expiresAtMillis(), "the refresh was not written");
        assertTrue(durable >= clock.millis() + 2 * 60_000, "the durable expiry still covers the device's next refresh");
    }

    /** A held refresh whose durable record would lapse too soon is written on passivation. */
    @Test
    void passivationPersistsAHeldRefreshTheDurableExpiryNoLongerCovers() {
        var live = spawnProvisioned(AOR_PASSIVATED + ".late");
        registerOn(live, "pw", 3600);
        clock.advance(Duration.ofSeconds(1000));
        registerOn(live, "pw", 3600);
        long refreshed = clock.millis() + 3_600_000;
        // the device refreshes every 1000 s: 3600 s from the write, the durable record no longer covers two more
        clock.advance(Duration.ofSeconds(600));
        passivate(live);
        LookupResult after = lookupOn(testKit.spawn(Registration.create(AOR_PASSIVATED + ".late", settings())));
        assertEquals(refreshed, after.bindings().get(0).expiresAtMillis());
    }

    /**
     * The journal keeps snapshots and deletes the events they cover: a restart after many changes rebuilds exactly
     * the state that was there, account, forwarding, call limits and bindings included.
     */
    @Test
    void aRestartAfterSnapshotsAndDeletedEventsRecoversTheSameState() {
        provision("alicepw");
        ForwardingRules rules = new ForwardingRules(Optional.empty(), Optional.of("sip:vm@example.com"),
                Optional.empty(), 0, Optional.empty());
        assertTrue(entity.<StatusReply<Done>>runCommand(reply -> new AccountCommand.SetForwarding(rules, reply)).reply().isSuccess());
        for (int i = 0; i < 35; i++) {
            clock.advance(Duration.ofSeconds(30));
            assertEquals(200, registerWithAuth(contact(5070 + i % 3), 60).status());
        }
        RegistrationState before = entity.getState();
        entity.restart();
        assertEquals(before, entity.getState());
        assertEquals(rules, lookup().forwarding());
    }

    /**
     * The node's edge hands REGISTERs straight to an entity that is awake here ({@link AwakeRegistrations}): the
     * entity says so once recovered, is answered through its edge-parsed request, and says it is asleep when its
     * stop message comes, so that sharding, which buffers for a stopping entity, carries what follows.
     */
    @Test
    void anAwakeEntityTakesRegistersFromTheEdgeDirectlyUntilItsStopMessage() {
        String aor = "sip:alice@direct.example.com";
        AwakeRegistrations awake = AwakeRegistrations.get(testKit.system());
        var live = spawnProvisioned(aor);
        assertEquals(Optional.of(live), awake.find(aor), "awake once recovered");

        HandleRegister first = register("alice", contact(5070), Optional.of(600), Optional.empty());
        awake.deliver(aor, first.envelope(), (SipRequest) SipText.parse(first.envelope().bytes()));
        SipResponse challenge = response();
        assertEquals(401, challenge.status(), "the edge's parse was answered");
        HandleRegister second = register("alice", contact(5070), Optional.of(600),
                Optional.of(answer(challenge, "alice", "pw")));
        awake.deliver(aor, second.envelope(), (SipRequest) SipText.parse(second.envelope().bytes()));
        assertEquals(200, response().status());
        assertEquals(1, lookupOn(live).bindings().size());

        passivate(live);
        assertTrue(awake.find(aor).isEmpty(), "asleep from its stop message on");
    }

    @Test
    void aQuestionHandedStraightToTheEntityIsAnsweredAsOneThroughSharding() {
        String aor = "sip:alice@asked.example.com";
        var live = spawnProvisioned(aor);
        registerOn(live, "pw", 600);
        TestProbe<LookupResult> asker = testKit.createTestProbe();
        live.tell(new DirectCommand(aor, new Lookup(asker.ref())));
        LookupResult direct = asker.receiveMessage();
        assertEquals(LookupResult.Status.REGISTERED, direct.status());
        assertEquals(lookupOn(live), direct);
        passivate(live);
    }

    private RegistrarSettings settings() {
        return new RegistrarSettings(3600, 60, 7200, 3, 300_000, "test-secret", clock);
    }

    private akka.actor.typed.ActorRef<RegistrationCommand> spawnProvisioned(String aor) {
        var live = testKit.spawn(Registration.create(aor, settings()));
        TestProbe<Done> done = testKit.createTestProbe();
        live.tell(new ProvisionAccount("alice", "example.com", Digest.ha1(Digest.Algorithm.MD5, "alice", "example.com", "pw"),
                Digest.ha1(Digest.Algorithm.SHA_256, "alice", "example.com", "pw"), done.ref()));
        done.receiveMessage();
        return live;
    }

    private void passivate(akka.actor.typed.ActorRef<RegistrationCommand> live) {
        TestProbe<Done> watcher = testKit.createTestProbe();
        live.tell(new Registration.Passivate());
        watcher.expectTerminated(live, Duration.ofSeconds(3));
    }

    private LookupResult lookupOn(akka.actor.typed.ActorRef<RegistrationCommand> live) {
        TestProbe<LookupResult> lookups = testKit.createTestProbe();
        live.tell(new Lookup(lookups.ref()));
        return lookups.receiveMessage();
    }

    private static final String AOR_PASSIVATED = "sip:alice@passivated.example.com";

    private void registerOn(akka.actor.typed.ActorRef<RegistrationCommand> live, String password, int expires) {
        live.tell(register("alice", contact(5070), Optional.of(expires), Optional.empty()));
        SipResponse challenge = response();
        live.tell(register("alice", contact(5070), Optional.of(expires), Optional.of(answer(challenge, "alice", password))));
        assertEquals(200, response().status());
    }

    // ---------------------------------------------------------------- helpers

    private EventSourcedBehaviorTestKit.CommandResultWithReply<RegistrationCommand, RegistrationEvent, RegistrationState, Done> provision(String password) {
        return entity.runCommand(reply -> new ProvisionAccount("alice", "example.com",
                Digest.ha1(Digest.Algorithm.MD5, "alice", "example.com", password),
                Digest.ha1(Digest.Algorithm.SHA_256, "alice", "example.com", password), reply));
    }

    private LookupResult lookup() {
        return entity.<LookupResult>runCommand(Lookup::new).reply();
    }

    private SipResponse registerWithAuth(Optional<String> contact, int expires) {
        SipResponse challenge = send(register("alice", contact, Optional.of(expires), Optional.empty()));
        return send(register("alice", contact, Optional.of(expires), Optional.of(answer(challenge, "alice", "alicepw"))));
    }

    private SipResponse send(HandleRegister cmd) {
        entity.runCommand(cmd);
        return response();
    }

    private SipResponse response() {
        return SipText.response(((Send) transport.receiveMessage(Duration.ofSeconds(3))).bytes());
    }

    /** The next response, past the AuthFailed reports a failed credential sends to the same transport. */
    private SipResponse responseSkippingReports() {
        TransportCommand next = transport.receiveMessage(Duration.ofSeconds(3));
        while (next instanceof AuthFailed) {
            next = transport.receiveMessage(Duration.ofSeconds(3));
        }
        return SipText.response(((Send) next).bytes());
    }

    private static Optional<String> contact(int port) {
        return Optional.of("<sip:alice@127.0.0.1:" + port + ">");
    }

    private long cseq = 1;
    private final String callId = UUID.randomUUID().toString();

    private HandleRegister register(String user, Optional<String> contact, Optional<Integer> expires, Optional<String> auth) {
        return register(user, contact, expires, auth, List.of());
    }

    private HandleRegister register(String user, Optional<String> contact, Optional<Integer> expires, Optional<String> auth,
                                    List<String> path) {
        return TestRequests.register(PHONE, user, callId, cseq++, contact, expires, auth, path, transport.ref());
    }

    private String answer(SipResponse challenge, String user, String password) {
        return DigestAnswers.answer(challenge.header("www-authenticate").orElseThrow(), user, password, "REGISTER",
                "sip:example.com", ++nc);
    }
}
