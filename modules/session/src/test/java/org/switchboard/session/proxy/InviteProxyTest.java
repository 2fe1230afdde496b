package org.switchboard.session.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.switchboard.registrar.api.CredentialsVerdict;
import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.session.proxy.ProxyAction.ArmRingTimer;
import org.switchboard.session.proxy.ProxyAction.LookUp;
import org.switchboard.session.proxy.ProxyAction.Reject;
import org.switchboard.session.proxy.ProxyAction.RelayAnswer;
import org.switchboard.session.proxy.ProxyAction.RelayFinal;
import org.switchboard.session.proxy.ProxyAction.SendCancel;
import org.switchboard.session.proxy.ProxyAction.StartFork;
import org.switchboard.sip.Branches;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipResponse;

/** The proxy core's rules, each driven on the pure machine with a simulated clock. */
class InviteProxyTest {
    private static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");
    private static final ProxyRules RULES = new ProxyRules("c1", Set.of("sip.test"), true,
            Map.of("other.test", "sip:gw.other.test:5060"), true, 2, Duration.ofSeconds(180), new Branches("test-secret"));
    private static final Invite FROM_STRANGER = new Invite(new InviteKey("z9hG4bK1", "127.0.0.2:5060"),
            "sip:bob@sip.test", "<sip:alice@elsewhere.test>;tag=a1", "<sip:bob@sip.test>", false, false);
    private static final Invite FROM_SUBSCRIBER = new Invite(new InviteKey("z9hG4bK2", "127.0.0.2:5060"),
            "sip:bob@sip.test", "<sip:alice@sip.test>;tag=a1", "<sip:bob@sip.test>", false, false);
    private static final ForwardingRules BUSY_TO_CAROL = new ForwardingRules(Optional.empty(),
            Optional.of("sip:carol@sip.test"), Optional.empty(), 0, Optional.empty());

    private static SipResponse response(int status, String reason, String... extra) {
        String text = "SIP/2.0 " + status + " " + reason + "\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKfork\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK1\r\n"
                + "From: <sip:alice@elsewhere.test>;tag=a1\r\nTo: <sip:bob@sip.test>;tag=b1\r\n"
                + "Call-ID: c1\r\nCSeq: 1 INVITE\r\n" + String.join("", extra) + "Content-Length: 0\r\n\r\n";
        return (SipResponse) ((ParseResult.Parsed) SipParser.parse(text.getBytes(StandardCharsets.UTF_8))).message();
    }

    private static ForkTarget device(String name) {
        return ForkTarget.to("sip:" + name + "@127.0.0.3:5070");
    }

    private static <A extends ProxyAction> List<A> all(Step step, Class<A> kind) {
        return step.actions().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static Step found(Step lookingUp, ForwardingRules forwarding, List<List<ForkTarget>> groups) {
        return lookingUp.next().on(new ProxyInput.CalleeFound(groups.isEmpty() ? LookupResult.Status.NOT_REGISTERED
                : LookupResult.Status.REGISTERED, groups, forwarding, 0), RULES, T0);
    }

    private static BranchId fork(Step step, int i) {
        return all(step, StartFork.class).get(i).id();
    }

    @Test
    void aCallerOfAnotherDomainIsNotChallengedAndItsCalleeIsLookedUp() {
        Step s = InviteProxy.start(FROM_STRANGER, RULES, T0);
        assertInstanceOf(InviteProxy.LookingUp.class, s.next());
        assertEquals(List.of(new LookUp("sip:bob@sip.test", Optional.empty(), 0)), s.actions());
    }

    @Test
    void aSubscriberProvesWhoItIsBeforeAnythingIsLookedUp() {
        Step s = InviteProxy.start(FROM_SUBSCRIBER, RULES, T0);
        assertEquals(List.of(new ProxyAction.CheckCaller()), s.actions());
        Step challenged = s.next().on(new ProxyInput.CallerJudged(new CredentialsVerdict(
                CredentialsVerdict.Outcome.CHALLENGE, List.of("Digest realm=\"sip.test\""), "")), RULES, T0);
        assertEquals(new InviteProxy.Decided(FROM_SUBSCRIBER, s.next().search(), 407), challenged.next());
        assertInstanceOf(ProxyAction.Challenge.class, challenged.actions().get(0));
    }

    @Test
    void aStrangerMayNotUseTheRoutesToOtherDomains() {
        Invite toOther = new Invite(FROM_STRANGER.key(), "sip:x@other.test", FROM_STRANGER.from(), "<sip:x@other.test>", false, false);
        Step s = InviteProxy.start(toOther, RULES, T0);
        assertEquals(403, ((Reject) s.actions().get(0)).status());
    }

    @Test
    void devicesRingByQHighestFirstAndEqualQTogether() {
        Step s = found(InviteProxy.start(FROM_STRANGER, RULES, T0), ForwardingRules.NONE,
                List.of(List.of(device("desk")), List.of(device("mobile"), device("tablet"))));
        assertEquals(List.of("sip:desk@127.0.0.3:5070"), all(s, StartFork.class).stream().map(f -> f.target().uri()).toList());
        assertEquals(List.of(new ArmRingTimer(Duration.ofSeconds(180))), all(s, ArmRingTimer.class));
        Step next = s.next().on(new ProxyInput.Failed(fork(s, 0), response(486, "Busy Here")), RULES, T0);
        assertEquals(List.of("sip:mobile@127.0.0.3:5070", "sip:tablet@127.0.0.3:5070"),
                all(next, StartFork.class).stream().map(f -> f.target().uri()).toList());
        Step one = next.next().on(new ProxyInput.Failed(fork(next, 0), response(404, "Not Found")), RULES, T0);
        assertTrue(one.actions().isEmpty(), "one fork of the group still rings");
        Step last = one.next().on(new ProxyInput.Failed(fork(next, 1), response(480, "Temporarily Unavailable")), RULES, T0);
        // §16.7 step 6: the lowest class, the first received within it
        assertEquals(486, ((RelayFinal) all(last, RelayFinal.class).get(0)).response().status());
        assertInstanceOf(InviteProxy.Decided.class, last.next());
    }

    @Test
    void theFirst2xxDecidesCancelsTheForksThatRangAndLaterOnesStillGoUp() {
        Step s = found(InviteProxy.start(FROM_STRANGER, RULES, T0), ForwardingRules.NONE,
                List.of(List.of(device("desk"), device("mobile"))));
        Step rang = s.next().on(new ProxyInput.Provisional(fork(s, 1), response(180, "Ringing")), RULES, T0);
        Step ok = rang.next().on(new ProxyInput.Answered(fork(s, 0), response(200, "OK")), RULES, T0);
        assertEquals(List.of(new SendCancel(fork(s, 1))), all(ok, SendCancel.class));
        assertEquals(200, ((InviteProxy.Decided) ok.next()).status());
        Step late = ok.next().on(new ProxyInput.Answered(fork(s, 1), response(200, "OK")), RULES, T0);
        assertEquals(1, all(late, RelayAnswer.class).size(), "every 2xx goes up (RFC 6026)");
    }

    @Test
    void unconditionalForwardingLooksUpTheTargetWithADiversion() {
        ForwardingRules always = new ForwardingRules(Optional.of("sip:carol@sip.test"), Optional.empty(),
                Optional.empty(), 0, Optional.empty());
        Step s = found(InviteProxy.start(FROM_STRANGER, RULES, T0), always, List.of(List.of(device("desk"))));
        assertEquals(List.of(new LookUp("sip:carol@sip.test",
                Optional.of("<sip:bob@sip.test>;reason=unconditional;counter=1"), 1)), s.actions());
    }

    @Test
    void busyIsForwardedAndSoIs600BusyEverywhere() {
        for (int busy : new int[] {486, 600}) {
            Step s = found(InviteProxy.start(FROM_STRANGER, RULES, T0), BUSY_TO_CAROL, List.of(List.of(device("desk"))));
            Step next = s.next().on(new ProxyInput.Failed(fork(s, 0), response(busy, "Busy")), RULES, T0);
            assertEquals(List.of(new LookUp("sip:carol@sip.test",
                    Optional.of("<sip:bob@sip.test>;reason=user-busy;counter=1"), 1)), all(next, LookUp.class), "status " + busy);
        }
    }

    @Test
    void aCancelWhileTheForwardingTargetIsLookedUpEndsTheCallAt487() {
        Step s = found(InviteProxy.start(FROM_STRANGER, RULES, T0), BUSY_TO_CAROL, List.of(List.of(device("desk"))));
        Step lookingUp = s.next().on(new ProxyInput.Failed(fork(s, 0), response(486, "Busy Here")), RULES, T0);
        Step cancelled = lookingUp.next().on(new ProxyInput.Cancelled(), RULES, T0);
        assertEquals(487, ((Reject) all(cancelled, Reject.class).get(0)).status());
        Step late = cancelled.next().on(new ProxyInput.CalleeFound(LookupResult.Status.REGISTERED,
                List.of(List.of(device("carol"))), ForwardingRules.NONE, 1), RULES, T0);
        assertTrue(late.actions().isEmpty(), "the registrar's late answer starts nothing");
    }

    @Test
    void aCallHandedOverDuringItsLookupAsksAgainOnTheNextNode() {
        Step s = InviteProxy.start(FROM_STRANGER, RULES, T0);
        Step resumed = s.next().on(new ProxyInput.Resumed(), RULES, T0.plusSeconds(3));
        assertEquals(List.of(new LookUp("sip:bob@sip.test", Optional.empty(), 0)), resumed.actions());
    }

    @Test
    void aHandedOverCallRingsOnlyForWhatWasLeftOfItsRingTimer() {
        Step s = found(InviteProxy.start(FROM_STRANGER, RULES, T0), ForwardingRules.NONE, List.of(List.of(device("desk"))));
        Step resumed = s.next().on(new ProxyInput.Resumed(), RULES, T0.plusSeconds(30));
        assertEquals(List.of(new ArmRingTimer(Duration.ofSeconds(150))), resumed.actions());
    }

    @Test
    void noAnswerCancelsTheRingingDeviceAndForwards() {
        ForwardingRules noAnswer = new ForwardingRules(Optional.empty(), Optional.empty(),
                Optional.of("sip:+15550100@other.test"), 20, Optional.empty());
        Step s = found(InviteProxy.start(FROM_STRANGER, RULES, T0), noAnswer, List.of(List.of(device("desk"))));
        assertEquals(List.of(new ArmRingTimer(Duration.ofSeconds(20))), all(s, ArmRingTimer.class));
        Step rang = s.next().on(new ProxyInput.Provisional(fork(s, 0), response(180, "Ringing")), RULES, T0);
        Step timedOut = rang.next().on(new ProxyInput.RingTimedOut(), RULES, T0.plusSeconds(20));
        assertEquals(List.of(new SendCancel(fork(s, 0))), all(timedOut, SendCancel.class));
        StartFork forwarded = all(timedOut, StartFork.class).get(0);
        assertEquals(Optional.of("sip:gw.other.test:5060"), forwarded.target().outbound());
        assertEquals(Optional.of("<sip:bob@sip.test>;reason=no-answer;counter=1"), forwarded.target().diversion());
    }

    @Test
    void timerCCancelsTheForksAndTheCallerGets487OnceTheyEnd() {
        Step s = found(InviteProxy.start(FROM_STRANGER, RULES, T0), ForwardingRules.NONE, List.of(List.of(device("desk"))));
        Step timedOut = s.next().on(new ProxyInput.RingTimedOut(), RULES, T0.plusSeconds(180));
        assertInstanceOf(InviteProxy.Cancelling.class, timedOut.next());
        assertTrue(all(timedOut, SendCancel.class).isEmpty(), "§9.1: no CANCEL before the fork rang");
        Step rang = timedOut.next().on(new ProxyInput.Provisional(fork(s, 0), response(180, "Ringing")), RULES, T0);
        assertEquals(List.of(new SendCancel(fork(s, 0))), all(rang, SendCancel.class));
        Step ended = rang.next().on(new ProxyInput.Failed(fork(s, 0), response(487, "Request Terminated")), RULES, T0);
        assertEquals(487, ((Reject) all(ended, Reject.class).get(0)).status());
    }

    @Test
    void aForksOverloadIsNotTheProxysAndAFailedFlowIsUnavailable() {
        int[][] cases = {{503, 500}, {430, 480}};
        for (int[] c : cases) {
            Step s = found(InviteProxy.start(FROM_STRANGER, RULES, T0), ForwardingRules.NONE, List.of(List.of(device("desk"))));
            Step next = s.next().on(new ProxyInput.Failed(fork(s, 0), response(c[0], "X")), RULES, T0);
            assertEquals(c[1], ((Reject) all(next, Reject.class).get(0)).status());
        }
    }

    @Test
    void aRedirectIsFollowedToItsContactsUpToTheLimit() {
        Step s = found(InviteProxy.start(FROM_STRANGER, RULES, T0), ForwardingRules.NONE, List.of(List.of(device("desk"))));
        Step moved = s.next().on(new ProxyInput.Failed(fork(s, 0),
                response(302, "Moved Temporarily", "Contact: <sip:bob@127.0.0.4:5080>\r\n")), RULES, T0);
        assertEquals("sip:bob@127.0.0.4:5080", all(moved, StartFork.class).get(0).target().uri());
        Step again = moved.next().on(new ProxyInput.Failed(fork(moved, 0),
                response(302, "Moved Temporarily", "Contact: <sip:bob@127.0.0.5:5080>\r\n")), RULES, T0);
        Step limit = again.next().on(new ProxyInput.Failed(fork(again, 0),
                response(302, "Moved Temporarily", "Contact: <sip:bob@127.0.0.6:5080>\r\n")), RULES, T0);
        assertTrue(all(limit, StartFork.class).isEmpty(), "at most 2 redirects followed");
        assertEquals(302, ((RelayFinal) all(limit, RelayFinal.class).get(0)).response().status());
    }

    @Test
    void aRegistrarThatCannotBeReachedGives503WithRetryAfter() {
        Step s = InviteProxy.start(FROM_STRANGER, RULES, T0).next().on(new ProxyInput.RegistrarUnreachable(), RULES, T0);
        Reject r = (Reject) s.actions().get(0);
        assertEquals(503, r.status());
        assertEquals("Retry-After", r.headers().get(0)[0]);
    }
}
