package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.registrar.api.GruuTarget;
import org.switchboard.registrar.api.Gruus;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.session.proxy.ForkTarget;
import org.switchboard.session.proxy.ProxyInput;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

/**
 * RFC 5627 §6.1: the target set of a GRUU is the bindings of its instance only (none: 480), a revoked temp-gruu is
 * not found, and the AOR's forwarding rules do not send a call for one device to somewhere else.
 */
class GruuTargetsTest {
    private static final String AOR = "sip:bob@sip.test";
    private static final String DESK = "urn:uuid:00000000-0000-0000-0000-00000000000d";
    private static final String MOBILE = "urn:uuid:00000000-0000-0000-0000-00000000000e";
    private static final ForwardingRules NO_ANSWER_TO_CAROL = new ForwardingRules(Optional.empty(), Optional.empty(),
            Optional.of("sip:carol@sip.test"), 10, Optional.empty());

    private static ContactBinding binding(String contact, String instance, String callId) {
        return new ContactBinding(contact, 1.0, Long.MAX_VALUE, 0, callId, 1, Optional.of("\"<" + instance + ">\""), 0,
                List.of(), SipTransport.UDP, new Peer("127.0.0.3", 5070), Optional.empty(), true);
    }

    private static final LookupResult BOTH = new LookupResult(LookupResult.Status.REGISTERED, List.of(
            binding("sip:bob@127.0.0.3:5070", DESK, "desk-reg"), binding("sip:bob@127.0.0.4:5070", MOBILE, "mobile-reg")),
            NO_ANSWER_TO_CAROL);

    private static ProxyInput.CalleeFound found(LookupResult result, GruuTarget gruu) {
        return (ProxyInput.CalleeFound) Invites.calleeFound(result, Optional.empty(), 0, Optional.of(gruu));
    }

    @Test
    void aPublicGruuReachesItsDeviceAloneWithoutTheAorsForwarding() {
        ProxyInput.CalleeFound f = found(BOTH, new GruuTarget(AOR, MOBILE, Optional.empty()));
        assertEquals(LookupResult.Status.REGISTERED, f.status());
        assertEquals(List.of("sip:bob@127.0.0.4:5070"), f.groups().stream().flatMap(List::stream).map(ForkTarget::uri).toList());
        assertEquals(ForwardingRules.NONE, f.forwarding());
    }

    @Test
    void aTemporaryGruuOfTheCurrentRegistrationReachesItsDevice() {
        ProxyInput.CalleeFound f = found(BOTH, new GruuTarget(AOR, DESK, Optional.of(Gruus.registrationOf("desk-reg"))));
        assertEquals(List.of(List.of("sip:bob@127.0.0.3:5070")),
                f.groups().stream().map(g -> g.stream().map(ForkTarget::uri).toList()).toList());
    }

    @Test
    void anUnregisteredInstanceIsUnavailableAndARevokedTemporaryGruuIsNotFound() {
        assertEquals(LookupResult.Status.NOT_REGISTERED,
                found(BOTH, new GruuTarget(AOR, "urn:uuid:00000000-0000-0000-0000-0000000000ff", Optional.empty())).status());
        LookupResult none = new LookupResult(LookupResult.Status.NOT_REGISTERED, List.of(), NO_ANSWER_TO_CAROL);
        assertEquals(LookupResult.Status.NOT_REGISTERED, found(none, new GruuTarget(AOR, DESK,
                Optional.of(Gruus.registrationOf("desk-reg")))).status(), "unregistered: 480, whatever the Call-ID was");
        assertEquals(LookupResult.Status.UNKNOWN, found(BOTH, new GruuTarget(AOR, DESK,
                Optional.of(Gruus.registrationOf("an-earlier-reg")))).status(), "§5.1: revoked by the new Call-ID");
        assertEquals(LookupResult.Status.UNKNOWN, found(LookupResult.unknown(), new GruuTarget(AOR, DESK,
                Optional.empty())).status());
    }
}
