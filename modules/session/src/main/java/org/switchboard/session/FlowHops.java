package org.switchboard.session;

import java.util.Locale;
import java.util.Optional;

import org.switchboard.sip.SipUri;
import org.switchboard.transport.api.Destination;

/**
 * A party of an answered call that is reached over a flow (a phone on a TCP connection it opened) is reached over
 * that flow for the whole dialog: the ACK, a BYE or a re-INVITE to its Contact go on its connection, through
 * whichever transport node holds it (RFC 5626 §5.3), never to a new connection to an address the phone does not
 * listen on.
 */
final class FlowHops {
    private FlowHops() {
    }

    /** The flow hop of the dialog's party whose Contact is {@code target}, when that party is reached over one. */
    static Optional<Destination> of(CallState state, SipUri target) {
        if (!(state instanceof CallState.Answered a)) {
            return Optional.empty();
        }
        Dialog d = a.dialog();
        if (d.calleeHop().flow().isPresent() && sameContact(d.calleeContact(), target)) {
            return Optional.of(d.calleeHop());
        }
        if (d.callerHop().flow().isPresent() && sameContact(d.callerContact(), target)) {
            return Optional.of(d.callerHop());
        }
        return Optional.empty();
    }

    /** The hop that reached the callee: its flow when the fork went over one, else what its Contact says. */
    static Destination callee(String calleeContact, Optional<Destination> fork) {
        return fork.filter(f -> f.flow().isPresent()).orElseGet(() -> Hops.downstream(SipUri.parse(calleeContact)));
    }

    private static boolean sameContact(String contact, SipUri target) {
        if (contact.isEmpty()) {
            return false;
        }
        try {
            SipUri c = SipUri.parse(contact);
            return c.host().toLowerCase(Locale.ROOT).equals(target.host().toLowerCase(Locale.ROOT))
                    && c.port().equals(target.port()) && c.user().equals(target.user());
        } catch (RuntimeException e) {
            return false; // a Contact we cannot read names no flow
        }
    }
}
