package org.switchboard.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;

/**
 * An INVITE still ringing when its Call entity was handed over to another core node (a rolling restart, a
 * rebalance): what the next incarnation needs to carry on as if nothing happened. Written only at hand-over, so a
 * normal call pays nothing for it; a SIGKILLed node hands nothing over (its ringing calls fail, its answered ones
 * survive from {@link CallEvent.CallAnswered}).
 *
 * @param envelope      the caller's INVITE as it arrived, with the transport to answer through
 * @param routed        the caller was admitted and the call routed; false: the caller's check was in flight
 * @param authenticated the caller proved who it is, or needed not (static routes are open to it)
 * @param forks         every fork started so far, answered or not
 * @param finals        the final responses of the forks that failed, for the best-response choice
 * @param later         lower-q groups of targets not yet tried
 * @param ringUntilMillis when the ring timer (no-answer forwarding or Timer C) runs out; 0 when none runs
 */
public record HandedOverInvite(Envelope envelope, boolean routed, boolean authenticated, boolean cancelled, boolean diverted, int redirects,
                               ForwardingRules forwarding, List<Fork> forks, List<byte[]> finals,
                               List<List<Target>> later, long ringUntilMillis) {

    /** One fork: the INVITE we sent it, and how far it got. */
    public record Fork(String id, String target, Destination destination, byte[] forwarded, int finalStatus,
                       boolean provisional, boolean cancelled) {
    }

    /** A target still to try. */
    public record Target(String uri, Optional<Destination> via, Optional<String> diversion, List<String> routes) {
        public Target {
            routes = routes == null ? List.of() : List.copyOf(routes); // handed over before Path was kept
        }
    }

    static HandedOverInvite of(InviteTransaction tx) {
        List<Fork> forks = tx.branches.values().stream().map(b -> new Fork(b.id(), b.target(), b.destination(),
                b.forwarded().bytes(), b.finalStatus(), b.provisional(), b.cancelled())).toList();
        List<List<Target>> later = new ArrayList<>();
        tx.laterGroups.forEach(group -> later.add(group.stream()
                .map(t -> new Target(t.uri(), t.via(), t.diversion(), t.routes())).toList()));
        return new HandedOverInvite(tx.envelope, tx.routed, tx.authenticated, tx.cancelled, tx.diverted, tx.redirects, tx.forwarding,
                forks, tx.finals.stream().map(r -> r.bytes()).toList(), later, tx.ringUntilMillis);
    }

    /**
     * The INVITE transaction as the entity keeps it, without its forks and machines (see
     * {@link ForkTransactions#resume} and {@link CallerTransactions#resume}); empty if the INVITE no longer parses.
     */
    Optional<InviteTransaction> restore() {
        if (!(SipParser.parse(envelope.bytes()) instanceof ParseResult.Parsed p) || !(p.message() instanceof SipRequest invite)) {
            return Optional.empty();
        }
        InviteTransaction tx = InviteTransaction.of(envelope, invite, false);
        tx.routed = routed;
        tx.authenticated = authenticated;
        tx.cancelled = cancelled;
        tx.diverted = diverted;
        tx.redirects = redirects;
        tx.forwarding = forwarding;
        tx.laterGroups.addAll(laterGroups());
        finals.forEach(bytes -> {
            if (SipParser.parse(bytes) instanceof ParseResult.Parsed f && f.message() instanceof SipResponse r) {
                tx.finals.add(r);
            }
        });
        return Optional.of(tx);
    }

    /** The targets not yet tried, as the entity keeps them. */
    List<List<InviteTransaction.Target>> laterGroups() {
        return later.stream().map(group -> group.stream()
                .map(t -> new InviteTransaction.Target(t.uri(), t.via(), t.diversion(), t.routes())).toList()).toList();
    }
}
