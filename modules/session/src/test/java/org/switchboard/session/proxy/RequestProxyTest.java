package org.switchboard.session.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.switchboard.registrar.api.CredentialsVerdict;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.sip.Branches;

/** The rules of the proxy core for out-of-dialog requests other than INVITE, on the pure machine. */
class RequestProxyTest {
    private static final ProxyRules RULES = new ProxyRules("c1", Set.of("sip.test"), true,
            Map.of("other.test", "sip:gw.other.test:5060"), false, 0, Duration.ofSeconds(180), new Branches("test-secret"));
    private static final RequestKey KEY = new RequestKey("z9hG4bK1", "127.0.0.2:5060", "MESSAGE");

    private static RequestProxy.Request request(String ruri, String from, Optional<String> eventRoute) {
        return new RequestProxy.Request(KEY, ruri, from, false, eventRoute);
    }

    private static final RequestProxy.Request TO_BOB = request("sip:bob@sip.test", "<sip:carol@elsewhere.test>;tag=c", Optional.empty());

    private static Final fin(int status) {
        return new Final(status, ("SIP/2.0 " + status + " X\r\n").getBytes());
    }

    private static RequestProxy.Next forkingToTwo() {
        RequestProxy.Next start = RequestProxy.start(TO_BOB, RULES);
        assertEquals(List.of(new ProxyAction.LookUp("sip:bob@sip.test", Optional.empty(), 0)), start.actions(),
                "a user of our domain is looked up");
        return start.phase().found(LookupResult.Status.REGISTERED,
                List.of(List.of(ForkTarget.to("sip:bob@127.0.0.3:5070")), List.of(ForkTarget.to("sip:bob@127.0.0.4:5070"))),
                RULES);
    }

    private static List<BranchId> forks(RequestProxy.Next next) {
        return next.actions().stream().filter(ProxyAction.StartFork.class::isInstance)
                .map(a -> ((ProxyAction.StartFork) a).id()).toList();
    }

    @Test
    void everyDeviceGetsTheRequestAtOnceWhateverItsQ() {
        RequestProxy.Next forking = forkingToTwo();
        assertEquals(2, forks(forking).size(), "no q-ordered rounds: a MESSAGE goes to every device (RFC 3428 §7)");
        assertInstanceOf(RequestProxy.Forking.class, forking.phase());
    }

    @Test
    void theFirst2xxGoesUpAtOnceAndLaterResponsesEndAtTheProxy() {
        RequestProxy.Next forking = forkingToTwo();
        List<BranchId> ids = forks(forking);
        RequestProxy.Next ok = forking.phase().finalFrom(ids.get(1), fin(200));
        assertEquals(List.of(new ProxyAction.RelayFinal(fin(200))), ok.actions(), "§16.7 step 5: a 2xx at once");
        assertTrue(ok.phase().decided());
        assertEquals(List.of(), ok.phase().finalFrom(ids.get(0), fin(202)).actions(),
                "§16.7 step 5: after the final, a later 2xx is forwarded for an INVITE only");
        assertEquals(List.of(), ok.phase().finalFrom(ids.get(0), fin(486)).actions());
    }

    @Test
    void withoutA2xxTheBestFinalGoesUpOnceEveryForkHasAnswered() {
        RequestProxy.Next forking = forkingToTwo();
        List<BranchId> ids = forks(forking);
        RequestProxy.Next first = forking.phase().finalFrom(ids.get(0), fin(486));
        assertEquals(List.of(), first.actions(), "one fork still pending: nothing goes up yet");
        RequestProxy.Next second = first.phase().finalFrom(ids.get(1), fin(404));
        assertEquals(List.of(new ProxyAction.RelayFinal(fin(486))), second.actions(),
                "§16.7 step 6: the lowest class, the first received within it");
    }

    @Test
    void aForkTimeoutCountsAsA408AndA503BecomesA500() {
        RequestProxy.Next forking = forkingToTwo();
        List<BranchId> ids = forks(forking);
        RequestProxy.Next decided = forking.phase().finalFrom(ids.get(0), fin(503)).phase().finalFrom(ids.get(1), fin(503));
        assertEquals(500, ((ProxyAction.Reject) decided.actions().get(0)).status(),
                "§16.7 step 6: a chosen 503 is sent as 500");
    }

    @Test
    void unknownAndUnregisteredUsersAndAnUnreachableRegistrar() {
        RequestProxy.Next lookingUp = RequestProxy.start(TO_BOB, RULES);
        assertEquals(404, ((ProxyAction.Reject) lookingUp.phase().found(LookupResult.Status.UNKNOWN, List.of(), RULES)
                .actions().get(0)).status());
        assertEquals(480, ((ProxyAction.Reject) lookingUp.phase().found(LookupResult.Status.NOT_REGISTERED, List.of(), RULES)
                .actions().get(0)).status());
        assertEquals(503, ((ProxyAction.Reject) lookingUp.phase().unreachable().actions().get(0)).status());
    }

    @Test
    void ourUsersProveWhoTheyAreAndStrangersReachOnlyOurUsers() {
        RequestProxy.Request fromOurs = request("sip:bob@sip.test", "<sip:alice@sip.test>;tag=a", Optional.empty());
        RequestProxy.Next admitting = RequestProxy.start(fromOurs, RULES);
        assertEquals(List.of(new ProxyAction.CheckCaller()), admitting.actions(), "a user of ours is asked to prove it");
        RequestProxy.Next challenged = admitting.phase().judged(new ProxyInput.CallerJudged(new CredentialsVerdict(
                CredentialsVerdict.Outcome.CHALLENGE, List.of("Digest realm=\"sip.test\""), "")), RULES);
        assertInstanceOf(ProxyAction.Challenge.class, challenged.actions().get(0));
        RequestProxy.Next refused = admitting.phase().judged(new ProxyInput.CallerJudged(
                CredentialsVerdict.of(CredentialsVerdict.Outcome.FORBIDDEN)), RULES);
        assertEquals(403, ((ProxyAction.Reject) refused.actions().get(0)).status());

        RequestProxy.Request relay = request("sip:x@other.test", "<sip:carol@elsewhere.test>;tag=c", Optional.empty());
        assertEquals(403, ((ProxyAction.Reject) RequestProxy.start(relay, RULES).actions().get(0)).status(),
                "a stranger may not use our route to another domain");
        RequestProxy.Request outbound = request("sip:x@other.test", "<sip:alice@sip.test>;tag=a", Optional.empty());
        RequestProxy.Next routed = RequestProxy.start(outbound, RULES).phase().judged(new ProxyInput.CallerJudged(
                CredentialsVerdict.of(CredentialsVerdict.Outcome.AUTHORISED)), RULES);
        ProxyAction.StartFork fork = (ProxyAction.StartFork) routed.actions().get(0);
        assertEquals(Optional.of("sip:gw.other.test:5060"), fork.target().outbound(), "our user's request takes the route");
    }

    @Test
    void anEventPackageWithARouteGoesToItsServerWithTheRequestUriUnchanged() {
        RequestProxy.Request subscribe = request("sip:bob@sip.test", "<sip:carol@elsewhere.test>;tag=c",
                Optional.of("sip:127.0.0.5:5060"));
        RequestProxy.Next next = RequestProxy.start(subscribe, new ProxyRules("c1", Set.of("sip.test"), false,
                Map.of(), false, 0, Duration.ofSeconds(180), new Branches("test-secret")));
        ProxyAction.StartFork fork = (ProxyAction.StartFork) next.actions().get(0);
        assertEquals("sip:bob@sip.test", fork.target().uri(), "the server is told whose mailbox or presence it is");
        assertEquals(Optional.of("sip:127.0.0.5:5060"), fork.target().outbound());
        assertEquals(1, next.actions().size(), "nothing is looked up: the server answers for the user");
    }

    @Test
    void aStrangerCannotUseAnEventRouteToReachTheServerBehindIt() {
        RequestProxy.Request fromStranger = request("sip:bob@sip.test", "<sip:eve@elsewhere.test>;tag=e",
                Optional.of("sip:127.0.0.5:5060"));
        RequestProxy.Next next = RequestProxy.start(fromStranger, RULES);
        assertEquals(List.of(new ProxyAction.LookUp("sip:bob@sip.test", Optional.empty(), 0)), next.actions(),
                "an unauthenticated stranger reaches our user's devices, as a call would, never the voicemail server");
        RequestProxy.Request forgedGruu = request("sip:tgruu.AAAA@sip.test;gr", "<sip:eve@elsewhere.test>;tag=e",
                Optional.empty());
        assertEquals(404, ((ProxyAction.Reject) RequestProxy.start(forgedGruu, RULES).actions().get(0)).status(),
                "a temp-gruu this cluster never issued reaches nobody");
    }
}
