package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.switchboard.registrar.api.GruuTarget;
import org.switchboard.registrar.api.Gruus;
import org.switchboard.session.proxy.Invite;
import org.switchboard.session.proxy.InviteKey;
import org.switchboard.session.proxy.InviteProxy;
import org.switchboard.session.proxy.ProxyRules;
import org.switchboard.sip.Branches;
import org.switchboard.testkit.EntityTestKit;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

import akka.actor.testkit.typed.javadsl.SerializationTestKit;

/** An INVITE to a temp-gruu handed over while its lookup is in flight keeps its GRUU: the next node asks the same. */
class GruuHandOverTest {
    @RegisterExtension
    static final EntityTestKit testKit = EntityTestKit.realTime("gruu-hand-over");

    @Test
    void theGruuOfALookupInFlightSurvivesTheHandOver() {
        Branches branches = new Branches("test-secret");
        String temp = new Gruus(branches.keyFor(Gruus.KEY_PURPOSE))
                .temporaryGruu("sip:bob@sip.test", "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "reg", 7, 1_000);
        ProxyRules rules = new ProxyRules("c1", Set.of("sip.test"), false, Map.of(), true, 2, Duration.ofSeconds(180),
                branches);
        InviteProxy lookingUp = InviteProxy.start(new Invite(new InviteKey("z9hG4bK1", "127.0.0.2:5060"), temp,
                "<sip:alice@elsewhere.test>;tag=a1", "<" + temp + ">", false, false), rules, Instant.EPOCH).next();
        Peer peer = new Peer("127.0.0.2", 5060);
        CallEvent.RingingHandedOver event = new CallEvent.RingingHandedOver(List.of(new HandedOverInvite(
                new HandedOverInvite.Received("INVITE".getBytes(StandardCharsets.UTF_8), SipTransport.UDP, peer, peer,
                        Optional.empty(), ""), lookingUp, List.of())), 0);

        CallEvent back = new SerializationTestKit(testKit.system()).verifySerialization(event, false);

        InviteProxy.LookingUp restored = assertInstanceOf(InviteProxy.LookingUp.class,
                ((CallEvent.RingingHandedOver) back).invites().get(0).proxy());
        assertEquals(Optional.of(new GruuTarget("sip:bob@sip.test", "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
                Optional.of(Gruus.registrationOf("reg")))), restored.lookup().gruu());
    }
}
