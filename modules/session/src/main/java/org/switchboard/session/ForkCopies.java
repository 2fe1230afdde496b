package org.switchboard.session;

import org.switchboard.session.proxy.BranchId;
import org.switchboard.session.proxy.ForkTarget;
import org.switchboard.sip.HeaderName;
import org.switchboard.sip.MessageEditor;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipUri;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;

/**
 * The copy of a request for one target (RFC 3261 §16.6), the part an INVITE's fork and another request's fork
 * share: our Route popped, our credentials consumed, Max-Forwards decremented, the target as Request-URI, our Via
 * with the loop hash on top. What differs (Record-Route, Diversion, topology hiding) the caller adds.
 */
final class ForkCopies {
    private ForkCopies() {
    }

    /** Where the copy goes: how the target is reached (a NAT binding, a flow), its route, or its URI's host. */
    static Destination downstream(ForkTarget target) {
        return target.via().orElseGet(() ->
                Hops.downstream(target.outbound().map(SipUri::parse).orElse(SipUri.parse(target.uri()))));
    }

    /** The copy's editor, steps 1-8 of §16.6 done but Record-Route; the target's Path goes on top of any Route. */
    static MessageEditor copy(SipRequest request, Envelope received, ForkTarget target, BranchId id,
                              Destination downstream, InDialogRouter router, SessionSettings settings) {
        MessageEditor edit = request.edit();
        router.popOwnRoute(request, edit, received.local());
        ProxyCredentials.consume(request, edit, settings);
        ProxyMessages.decrementMaxForwards(request, edit)
                .requestUri(target.uri())
                .prepend(HeaderName.VIA, settings.via(downstream.transport().name(), id.value(), received.local()) + ";"
                        + ProxyMessages.LOOP_PARAM + "=" + ProxyMessages.loopHash(request));
        return edit;
    }

    /** A binding's Path, in order, above any Route left (RFC 3327). */
    static void prependPath(MessageEditor edit, ForkTarget target) {
        for (int i = target.routes().size() - 1; i >= 0; i--) {
            edit.prepend(HeaderName.ROUTE, target.routes().get(i));
        }
    }
}
