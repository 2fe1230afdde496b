package org.switchboard.session;

import org.switchboard.sip.SipRequest;
import org.switchboard.sip.transaction.InviteClientTransaction;
import org.switchboard.transport.api.Destination;

/**
 * One fork of a proxied INVITE (RFC 3261 §16.6-16.7), in memory.
 *
 * @param target       the URI this branch was sent to (a contact, a forwarding target, a redirect)
 * @param finalStatus  0 while no final response came
 * @param provisional  a provisional response came: the branch may be cancelled (§9.1)
 * @param machine      its INVITE client transaction (retransmissions, Timer B), see {@link ForkTransactions}
 */
record Branch(String id, String target, Destination destination, SipRequest forwarded, int finalStatus,
              boolean provisional, boolean cancelled, InviteClientTransaction machine) {

    boolean pending() {
        return finalStatus == 0;
    }

    Branch withFinal(int status) {
        return new Branch(id, target, destination, forwarded, status, provisional, cancelled, machine);
    }

    Branch withProvisional() {
        return new Branch(id, target, destination, forwarded, finalStatus, true, cancelled, machine);
    }

    Branch withCancelled() {
        return new Branch(id, target, destination, forwarded, finalStatus, provisional, true, machine);
    }

    Branch withMachine(InviteClientTransaction next) {
        return new Branch(id, target, destination, forwarded, finalStatus, provisional, cancelled, next);
    }
}
