package org.switchboard.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.switchboard.session.proxy.BranchId;
import org.switchboard.session.proxy.Invite;
import org.switchboard.session.proxy.InviteKey;
import org.switchboard.session.proxy.InviteProxy;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.transaction.InviteClientTransaction;
import org.switchboard.sip.transaction.InviteServerTransaction;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;

/**
 * A proxied INVITE (an initial one or a re-INVITE) as the Call entity executes it: the proxy core's record (what
 * §16 decided so far, {@link InviteProxy}) and the transactions that carry it out (§17): the server transaction
 * toward the sender and one client transaction per fork. The entity's private working memory, never shared; its
 * transactions are rebuilt from retransmissions after a failover, its proxy record handed over on a move.
 */
final class ProxiedInvite {
    /**
     * One fork's transport side: where it goes, what we sent it, and its client transaction (retransmissions,
     * Timer B, hop-by-hop ACKs), see {@link ForkTransactions}.
     */
    record Leg(Destination destination, SipRequest forwarded, InviteClientTransaction machine) {
        Leg withMachine(InviteClientTransaction next) {
            return new Leg(destination, forwarded, next);
        }
    }

    final Envelope envelope;
    final SipRequest request;
    final Destination upstream;
    InviteProxy proxy;
    /** The server transaction toward the caller, driven by {@link CallerTransactions}; set when it starts. */
    Optional<InviteServerTransaction> server = Optional.empty();
    /** The last response sent to the caller, replayed to retransmissions of the INVITE. */
    Optional<byte[]> lastResponse = Optional.empty();
    final Map<BranchId, Leg> legs = new LinkedHashMap<>();
    /** When the caller's INVITE reached this entity (a CDR's start); 0 when not known (taken over from another node). */
    long arrivedAtMillis;

    ProxiedInvite(Envelope envelope, SipRequest request, InviteProxy proxy) {
        this.envelope = envelope;
        this.request = request;
        this.upstream = Hops.upstream(envelope, request.topVia());
        this.proxy = proxy;
    }

    /** The facts of an INVITE that just arrived, for the proxy core. */
    static Invite inviteOf(Envelope envelope, SipRequest invite, SessionSettings settings, boolean inDialog) {
        return new Invite(InviteKey.of(invite.topVia()), invite.requestUriText(),
                invite.header(org.switchboard.sip.HeaderName.FROM).orElse(""),
                invite.header(org.switchboard.sip.HeaderName.TO).orElse(""),
                settings.trusted(envelope.remote().host()), inDialog);
    }

    InviteKey key() {
        return proxy.invite().key();
    }

    boolean inDialog() {
        return proxy.invite().inDialog();
    }

    boolean decided() {
        return proxy.isDecided();
    }

    /** The final status the caller got (below 200 while none). */
    int finalStatus() {
        return proxy instanceof InviteProxy.Decided d ? d.status() : 0;
    }
}
