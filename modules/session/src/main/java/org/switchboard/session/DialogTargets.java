package org.switchboard.session;

import java.util.Optional;

import org.switchboard.sip.Method;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Envelope;

/**
 * Where a request inside an answered dialog goes when no Route is left after ours: to the other side as the
 * dialog knows it, which for a phone behind NAT is the address or connection it spoke from, not the private
 * address in its Contact (see {@link Reachability}). And when a side moves — a phone that changed networks sends a
 * re-INVITE or UPDATE with a new Contact, from a new address or over a new connection — the dialog follows it.
 */
final class DialogTargets {
    private DialogTargets() {
    }

    /** The side {@code request} goes to, as the answered dialog knows it. */
    static Optional<org.switchboard.transport.api.Destination> toward(CallState state, SipRequest request) {
        if (!(state instanceof CallState.Answered a)) {
            return Optional.empty();
        }
        return Optional.of(fromCaller(a.dialog(), request) ? a.dialog().calleeHop() : a.dialog().callerHop());
    }

    /**
     * The dialog with the sender's remote target refreshed, when {@code request} is a target refresh (RFC 3261
     * §12.2, RFC 3311) whose Contact or source differs from what the dialog holds; empty when nothing moved.
     */
    static Optional<Dialog> refreshed(CallState state, Envelope envelope, SipRequest request) {
        if (!(state instanceof CallState.Answered a) || !isTargetRefresh(request) || request.contacts().isEmpty()) {
            return Optional.empty();
        }
        Dialog d = a.dialog();
        boolean caller = fromCaller(d, request);
        String contact = request.contacts().get(0).uri().toString();
        var hop = Reachability.ofSender(envelope, request.vias().size(), contact);
        boolean same = caller ? contact.equals(d.callerContact()) && hop.equals(d.callerHop())
                : contact.equals(d.calleeContact()) && hop.equals(d.calleeHop());
        return same ? Optional.empty() : Optional.of(d.withTarget(caller, contact, hop));
    }

    private static boolean isTargetRefresh(SipRequest request) {
        return request.methodType().isOneOf(Method.INVITE, Method.UPDATE);
    }

    private static boolean fromCaller(Dialog d, SipRequest request) {
        return request.from().tag().equals(NameAddress.parse(d.from()).tag());
    }
}
