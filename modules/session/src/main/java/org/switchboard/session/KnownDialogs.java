package org.switchboard.session;

import java.util.Collection;
import java.util.Optional;

import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipRequest;

/**
 * Whether a request with a To tag belongs to a dialog the call itself holds (RFC 3261 §12.2: a dialog is
 * identified by Call-ID, local and remote tag): the answered dialog, in either direction, or an early dialog of an
 * INVITE still being set up, whose caller's From tag the request carries on one side.
 */
final class KnownDialogs {
    private KnownDialogs() {
    }

    static boolean knows(CallState state, Collection<ProxiedInvite> invites, SipRequest request) {
        Optional<String> fromTag = request.from().tag();
        Optional<String> toTag = request.to().tag();
        if (fromTag.isEmpty() || toTag.isEmpty()) {
            return false;
        }
        if (state instanceof CallState.Answered a) {
            Optional<String> callerTag = NameAddress.parse(a.dialog().from()).tag();
            Optional<String> calleeTag = NameAddress.parse(a.dialog().to()).tag();
            return (fromTag.equals(callerTag) && toTag.equals(calleeTag))
                    || (fromTag.equals(calleeTag) && toTag.equals(callerTag));
        }
        return invites.stream().filter(tx -> !tx.inDialog()).map(tx -> tx.request.from().tag())
                .anyMatch(callerTag -> callerTag.equals(fromTag) || callerTag.equals(toTag));
    }
}
