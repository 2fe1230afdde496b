package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.registrar.api.Lookup;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.registrar.api.RegistrationCommand;
import org.switchboard.registrar.api.RegistrationEntity;
import org.switchboard.session.api.CallCommand;
import org.switchboard.session.api.HandleSip;
import org.switchboard.sip.Branches;
import org.switchboard.sip.SipMessage;
import org.switchboard.testkit.EntityTestKit;
import org.switchboard.testkit.Envelopes;
import org.switchboard.testkit.SipText;
import org.switchboard.testkit.TransportProbe;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.Redeliver;
import org.switchboard.transport.api.SipTransport;
import org.switchboard.transport.api.TransportLocator;
import org.switchboard.transport.overload.Overload;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;


/**
 * A call forwarded on busy while its forwarding target is still being looked up, with a registrar (sharded, as in
 * production) that holds its answer for the target back: the caller's CANCEL then ends the call at once, and an
 * entity moved to another node then asks again and forwards the call there. Both left the caller without a final
 * response when the proxy core kept "a lookup is pending" as a flag outside what it handed over.
 */
class CallForwardingLookupTest {
    private static final int CALLER = 5070;
    private static final int BOB = 5080;
    private static final int CAROL = 5090;
    private static ActorTestKit kit;
    /** The registrar's answers by AOR; an AOR without one is held (its ask times out). */
    private static final Map<String, LookupResult> answers = new ConcurrentHashMap<>();

    private final Branches branches = new Branches("test-secret");

    @BeforeAll
    static void start() {
        kit = OneNodeCluster.start("forwarding-lookup", EntityTestKit.config());
        ClusterSharding.get(kit.system()).init(Entity.of(RegistrationEntity.KEY, ctx -> registrar(ctx.getEntityId())));
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    /** A Registration that answers lookups from {@link #answers}, or not at all. */
    private static Behavior<RegistrationCommand> registrar(String aor) {
        return Behaviors.receive(RegistrationCommand.class)
                .onMessage(Lookup.class, l -> {
                    Optional.ofNullable(answers.get(aor)).ifPresent(l.replyTo()::tell);
                    return Behaviors.same();
                })
                .build();
    }

    private static LookupResult registered(String contact, ForwardingRules forwarding) {
        ContactBinding b = new ContactBinding(contact, 1.0, Long.MAX_VALUE, 0, "reg-1", 1, Optional.empty(), 0,
                List.of(), SipTransport.UDP, new Peer("127.0.0.1", 0), Optional.empty(), false);
        return new LookupResult(LookupResult.Status.REGISTERED, List.of(b), forwarding);
    }

    private SessionSettings settings() {
        return new SessionSettings("127.0.0.1", 5060, "127.0.0.1", 5060, branches, Duration.ofSeconds(1),
                Clock.systemUTC(), Set.of("example.com"), false, List.of(), Map.of(), false, 3, 90,
                Duration.ofMillis(500), Duration.ofSeconds(180), TransportLocator.NONE, Overload.NEVER);
    }

    private HandleSip sip(String text, TransportProbe transport) {
        return new HandleSip(Envelopes.udp(text, new Peer("127.0.0.1", CALLER), transport.ref()));
    }

    private static String invite(String callId, String branch) {
        return "INVITE sip:" + callId + "@example.com SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + CALLER + ";branch=" + branch + "\nMax-Forwards: 70\n"
                + "From: <sip:alice@elsewhere.net>;tag=a1\nTo: <sip:" + callId + "@example.com>\nCall-ID: " + callId + "\n"
                + "CSeq: 1 INVITE\nContact: <sip:alice@127.0.0.1:" + CALLER + ">\nContent-Length: 0\n";
    }

    private static String busy(SipMessage forwarded, String callId) {
        return "SIP/2.0 486 Busy Here\nVia: " + String.join("\nVia: ", forwarded.headers("via")) + "\n"
                + "From: <sip:alice@elsewhere.net>;tag=a1\nTo: <sip:" + callId + "@example.com>;tag=b1\n"
                + "Call-ID: " + callId + "\nCSeq: 1 INVITE\nContent-Length: 0\n";
    }

    /**
     * The call to {@code callee}, whose only device answers busy: forwarded to carol, whose lookup is held. Returns
     * once the busy device's 486 has been acknowledged.
     */
    private void busyAndForwarded(ActorRef<CallCommand> call, String callee, TransportProbe transport) {
        answers.put("sip:" + callee + "@example.com", registered("sip:" + callee + "@127.0.0.1:" + BOB,
                new ForwardingRules(Optional.empty(), Optional.of("sip:carol-" + callee + "@example.com"),
                        Optional.empty(), 0, Optional.empty())));
        call.tell(sip(invite(callee, "z9hG4bK" + callee), transport));
        assertTrue(SipText.text(transport.nextSend(CALLER).bytes()).startsWith("SIP/2.0 100 "));
        SipMessage forwarded = SipText.parse(transport.nextSend(BOB).bytes());
        call.tell(sip(busy(forwarded, callee), transport));
        assertTrue(SipText.text(transport.nextSend(BOB).bytes()).startsWith("ACK "), "the 486 is acknowledged");
    }

    @Test
    void aCancelWhileTheForwardingTargetIsLookedUpGetsTheCaller487AtOnce() {
        TransportProbe transport = new TransportProbe(kit.system());
        ActorRef<CallCommand> call = kit.spawn(Call.create("cancelled", settings()));
        busyAndForwarded(call, "cancelled", transport);

        call.tell(sip(invite("cancelled", "z9hG4bKcancelled").replace("INVITE sip:", "CANCEL sip:")
                .replace("CSeq: 1 INVITE", "CSeq: 1 CANCEL"), transport));
        assertTrue(SipText.text(transport.nextSend(CALLER).bytes()).startsWith("SIP/2.0 200 "), "the CANCEL's own 200");
        String answer = SipText.text(transport.nextSend(CALLER).bytes());
        assertTrue(answer.startsWith("SIP/2.0 487 "), answer);
        assertTrue(answer.contains("CSeq: 1 INVITE"), answer);
    }

    @Test
    void aCallMovedToAnotherNodeWhileItsForwardingTargetIsLookedUpIsForwardedThere() {
        TransportProbe transport = new TransportProbe(kit.system());
        ActorRef<CallCommand> call = kit.spawn(Call.create("moved", settings()));
        busyAndForwarded(call, "moved", transport);

        TestProbe<Object> watcher = kit.createTestProbe();
        call.tell(new CallTimers.HandOff());
        Redeliver wakeUp = assertInstanceOf(Redeliver.class, transport.next());
        watcher.expectTerminated(call, Duration.ofSeconds(3));

        // on the next node the registrar answers: the call goes on to carol, with the reason it was forwarded
        answers.put("sip:carol-moved@example.com", registered("sip:carol@127.0.0.1:" + CAROL, ForwardingRules.NONE));
        ActorRef<CallCommand> next = kit.spawn(Call.create("moved", settings()));
        next.tell(new HandleSip(wakeUp.envelope()));
        String forwarded = SipText.text(transport.nextSend(CAROL).bytes());
        assertTrue(forwarded.startsWith("INVITE sip:carol@127.0.0.1:" + CAROL), forwarded);
        assertTrue(forwarded.contains("Diversion: <sip:moved@example.com>;reason=user-busy"), forwarded);
    }
}
