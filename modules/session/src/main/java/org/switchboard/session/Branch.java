package org.switchboard.session;

import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Destination;

/**
 * One fork of a proxied INVITE (RFC 3261 §16.6-16.7), in memory.
 *
 * @param target       the URI this branch was sent to (a contact, a forwarding target, a redirect)
 * @param finalStatus  0 while no final response came
 * @param provisional  a provisional response came: the branch may be cancelled (§9.1)
 * @param retransmits  Timer A retransmissions so far (UDP)
 */
record Branch(String id, String target, Destination destination, SipRequest forwarded, int finalStatus,
              boolean provisional, int retransmits, boolean cancelled) {

    boolean pending() {
        return finalStatus == 0;
    }

    Branch withFinal(int status) {
        return new Branch(id, target, destination, forwarded, status, provisional, retransmits, cancelled);
    }

    Branch withProvisional() {
        return new Branch(id, target, destination, forwarded, finalStatus, true, retransmits, cancelled);
    }

    Branch retransmitted() {
        return new Branch(id, target, destination, forwarded, finalStatus, provisional, retransmits + 1, cancelled);
    }

    Branch withCancelled() {
        return new Branch(id, target, destination, forwarded, finalStatus, provisional, retransmits, true);
    }
}
