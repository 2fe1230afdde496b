package org.switchboard.session.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.switchboard.registrar.api.GruuTarget;
import org.switchboard.registrar.api.Gruus;
import org.switchboard.session.proxy.ProxyAction.LookUp;
import org.switchboard.session.proxy.ProxyAction.Reject;
import org.switchboard.sip.Branches;

/** RFC 5627 §6.1 in the proxy core: a Request-URI that is a GRUU is looked up for its one device, or refused 404. */
class GruuRoutingTest {
    private static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");
    private static final String INSTANCE = "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6";
    private static final ProxyRules RULES = new ProxyRules("c1", Set.of("sip.test"), false, Map.of(), true, 2,
            Duration.ofSeconds(180), new Branches("test-secret"));
    private static final Gruus GRUUS = new Gruus(new Branches("test-secret").keyFor(Gruus.KEY_PURPOSE));

    private static Step inviteTo(String requestUri) {
        return InviteProxy.start(new Invite(new InviteKey("z9hG4bK1", "127.0.0.2:5060"), requestUri,
                "<sip:alice@elsewhere.test>;tag=a1", "<" + requestUri + ">", false, false), RULES, T0);
    }

    @Test
    void aPublicGruuIsLookedUpForItsInstanceOnly() {
        Step s = inviteTo("sip:bob@sip.test;gr=" + INSTANCE);
        assertInstanceOf(InviteProxy.LookingUp.class, s.next());
        assertEquals(List.of(new LookUp("sip:bob@sip.test", Optional.empty(), 0,
                Optional.of(new GruuTarget("sip:bob@sip.test", INSTANCE, Optional.empty())))), s.actions());
    }

    @Test
    void aTemporaryGruuOfOursIsLookedUpUnderItsAorAndRegistration() {
        String temp = GRUUS.temporaryGruu("sip:bob@sip.test", INSTANCE, "reg-call-id", 2, 1_000);
        Step s = inviteTo(temp);
        assertEquals(List.of(new LookUp("sip:bob@sip.test", Optional.empty(), 0, Optional.of(new GruuTarget(
                "sip:bob@sip.test", INSTANCE, Optional.of(Gruus.registrationOf("reg-call-id")))))), s.actions());
    }

    @Test
    void aGruuThatIsNotOursIsNotFound() {
        String foreign = new Gruus(new Branches("other-cluster").keyFor(Gruus.KEY_PURPOSE))
                .temporaryGruu("sip:bob@sip.test", INSTANCE, "reg-call-id", 2, 1_000);
        for (String uri : List.of(foreign, "sip:tgruu.AAAA@sip.test;gr", "sip:bob@sip.test;gr")) {
            Step s = inviteTo(uri);
            assertInstanceOf(InviteProxy.Decided.class, s.next(), uri);
            assertEquals(404, all(s).status(), uri);
        }
    }

    private static Reject all(Step s) {
        return s.actions().stream().filter(Reject.class::isInstance).map(Reject.class::cast).findFirst().orElseThrow();
    }
}
