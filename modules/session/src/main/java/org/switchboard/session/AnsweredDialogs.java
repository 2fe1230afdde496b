package org.switchboard.session;

import java.util.Optional;

import org.switchboard.session.proxy.BranchId;
import org.switchboard.session.proxy.Fork;
import org.switchboard.sip.HeaderName;
import org.switchboard.sip.SipResponse;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;

/**
 * The dialog a 2xx to an INVITE establishes (RFC 3261 §12.1), as the Call persists it: both sides' remote targets
 * and how each is reached, the CSeq, the session interval (RFC 4028).
 */
final class AnsweredDialogs {
    private AnsweredDialogs() {
    }

    /** Answered through a fork of an INVITE this entity proxies. */
    static Dialog of(String callId, SipResponse ok, ProxiedInvite p, BranchId fork) {
        String callerContact = p.request.contacts().stream().findFirst().map(c -> c.uri().toString()).orElse("");
        Destination callerHop = Reachability.ofSender(p.envelope, p.request.vias().size(), callerContact);
        // the fork reached the device that answered: through its NAT or connection when it needed one, and
        // whenever the device answered with a GRUU, which only names its domain (RFC 5627), as its Contact
        boolean gruu = ok.contacts().stream().findFirst().map(c -> Reachability.isGruu(c.uri().toString())).orElse(false);
        Optional<Destination> forkHop = Optional.ofNullable(p.legs.get(fork))
                .filter(leg -> gruu || !Reachability.byUri(p.proxy.search().fork(fork).map(Fork::target).orElse(""))
                        .equals(Optional.of(leg.destination())))
                .map(ProxiedInvite.Leg::destination);
        int interval = SessionTimer.sessionExpires(ok).orElse(SessionTimer.sessionExpires(p.request).orElse(0));
        return dialog(callId, ok, p.envelope, callerContact, callerHop, forkHop, interval);
    }

    /** Answered with no transaction left to say more (a failover): the response alone tells. */
    static Dialog of(String callId, SipResponse ok, Envelope env) {
        return dialog(callId, ok, env, "", env.backToSender(), Optional.empty(), SessionTimer.sessionExpires(ok).orElse(0));
    }

    private static Dialog dialog(String callId, SipResponse ok, Envelope callerEnv, String callerContact,
                                 Destination callerHop, Optional<Destination> forkHop, int interval) {
        String calleeContact = ok.contacts().stream().findFirst().map(c -> c.uri().toString()).orElse("");
        Destination calleeHop = calleeContact.isEmpty() ? callerHop
                : forkHop.or(() -> Reachability.byUri(calleeContact)).orElse(callerHop);
        return new Dialog(callId, ok.header(HeaderName.FROM).orElse(""), ok.header(HeaderName.TO).orElse(""),
                callerContact, callerHop, calleeContact, calleeHop, ok.cseq().number(), 0, interval, callerEnv.local());
    }
}
