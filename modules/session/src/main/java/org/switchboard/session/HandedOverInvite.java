package org.switchboard.session;

import java.util.List;
import java.util.Optional;

import org.switchboard.session.proxy.BranchId;
import org.switchboard.session.proxy.InviteProxy;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;

/**
 * An INVITE still ringing when its Call entity was handed over to another core node (a rolling restart, a
 * rebalance): the proxy core's record as it was, and what was sent to each fork. Written only at hand-over, so a
 * normal call pays nothing for it; a SIGKILLed node hands nothing over (its ringing calls fail, its answered ones
 * survive from {@link CallEvent.CallAnswered}).
 *
 * @param invite the caller's INVITE as it arrived
 * @param proxy  everything the proxy core knew of it
 * @param legs   the INVITE each fork was sent, and where
 */
public record HandedOverInvite(Received invite, InviteProxy proxy, List<SentFork> legs) {
    public HandedOverInvite {
        legs = List.copyOf(legs);
    }

    /**
     * A message as a transport node handed it in. The transport's actor is kept as its serialised path (resolved
     * again on the next node, where it may be gone: then any transport node sends), not as a reference.
     */
    public record Received(byte[] bytes, SipTransport transport, Peer remote, Peer local, Optional<String> flow,
                           String transportPath) {
        static Received of(Envelope env, ActorRefResolver refs) {
            return new Received(env.bytes(), env.transport(), env.remote(), env.local(), env.flow(),
                    refs.toSerializationFormat(env.replyTo()));
        }

        Envelope envelope(ActorRefResolver refs) {
            ActorRef<org.switchboard.transport.api.TransportCommand> replyTo = refs.resolveActorRef(transportPath);
            return new Envelope(bytes, transport, remote, local, flow, replyTo);
        }
    }

    /** One fork's INVITE as we sent it. */
    public record SentFork(BranchId id, Destination destination, byte[] forwarded) {
    }

    static HandedOverInvite of(ProxiedInvite p, ActorSystem<?> system) {
        ActorRefResolver refs = ActorRefResolver.get(system);
        return new HandedOverInvite(Received.of(p.envelope, refs), p.proxy, p.legs.entrySet().stream()
                .map(e -> new SentFork(e.getKey(), e.getValue().destination(), e.getValue().forwarded().bytes()))
                .toList());
    }

    /** The INVITE as the entity keeps it, without its transactions; empty if what was written no longer parses. */
    Optional<ProxiedInvite> restore(ActorSystem<?> system) {
        if (!(SipParser.parse(invite.bytes()) instanceof ParseResult.Parsed p) || !(p.message() instanceof SipRequest request)) {
            return Optional.empty();
        }
        return Optional.of(new ProxiedInvite(invite.envelope(ActorRefResolver.get(system)), request, proxy));
    }
}
