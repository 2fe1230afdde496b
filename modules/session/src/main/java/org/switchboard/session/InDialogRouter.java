package org.switchboard.session;

import java.util.List;
import java.util.OptionalInt;

import org.switchboard.sip.HeaderNames;
import org.switchboard.sip.MessageEditor;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipUri;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Peer;

/**
 * Loose routing of a request inside a dialog (RFC 3261 §16.4, §16.6): pop our Route, push our Via, decrement
 * Max-Forwards, send to the next Route or the Request-URI. The branch is derived from the upstream branch, so a
 * retransmission leaves with the same branch. Pure: the Call entity sends what it decides.
 */
final class InDialogRouter {
    /** What to do with an in-dialog request. */
    sealed interface Decision {
    }

    record Forward(SipRequest forwarded, Destination downstream, String branch) implements Decision {
    }

    /** Answer it ourselves (481 when it names nobody but us, 483 when out of hops); an ACK is dropped instead. */
    record Refuse(int status, String reason) implements Decision {
    }

    private final SessionSettings settings;
    private final String callId;

    InDialogRouter(SessionSettings settings, String callId) {
        this.settings = settings;
        this.callId = callId;
    }

    Decision route(SipRequest request, Peer hop) {
        List<NameAddress> routes = request.routes();
        boolean routedToUs = !routes.isEmpty() && settings.isUs(routes.get(0).uri(), hop);
        List<NameAddress> remaining = routedToUs ? routes.subList(1, routes.size()) : routes;
        SipUri target = remaining.isEmpty() ? request.requestUri() : remaining.get(0).uri();
        if (settings.isUs(target, hop) || (!routedToUs && routes.isEmpty() && target.user().isEmpty())) {
            return new Refuse(481, "Call/Transaction Does Not Exist");
        }
        OptionalInt maxForwards = request.maxForwards();
        if (maxForwards.isPresent() && maxForwards.getAsInt() <= 0) {
            return new Refuse(483, "Too Many Hops");
        }
        Destination downstream = Hops.downstream(target);
        // the ACK of a non-2xx final shares its INVITE's branch (§17.1.1.3), so it must leave with the same one
        String method = request.method().equals("ACK") ? "INVITE" : request.method();
        String branch = settings.branches().derive(callId + "|" + request.topVia().branch().orElse("") + "|" + method);
        MessageEditor edit = request.edit();
        popOwnRoute(request, edit, hop);
        ProxyMessages.decrementMaxForwards(request, edit).prepend("Via", settings.via(downstream.transport().name(), branch, hop));
        return new Forward((SipRequest) edit.build(), downstream, branch);
    }

    /** Removes the top Route when it names this node (it was pre-loaded or recorded by us). */
    void popOwnRoute(SipRequest request, MessageEditor edit, Peer hop) {
        List<NameAddress> routes = request.routes();
        if (!routes.isEmpty() && settings.isUs(routes.get(0).uri(), hop)) {
            edit.removeFirstValue(HeaderNames.ROUTE);
        }
    }
}
