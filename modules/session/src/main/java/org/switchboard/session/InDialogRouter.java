package org.switchboard.session;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.switchboard.sip.HeaderName;
import org.switchboard.sip.MessageEditor;
import org.switchboard.sip.Method;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipUri;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Peer;

/**
 * Loose routing of a request inside a dialog (RFC 3261 §16.4, §16.6): pop our Route, push our Via, decrement
 * Max-Forwards, send to the next Route or the Request-URI. The branch is derived from the upstream branch, so a
 * retransmission leaves with the same branch. Pure: the Call entity sends what it decides.
 *
 * <p>A To tag proves nothing: anyone can invent one. A request is forwarded only when its dialog is one the call
 * knows, or when its top Route is the Record-Route we wrote for this very dialog (its token verifies for the
 * request's Call-ID and tags); anything else is answered 481 and goes nowhere, so a stranger cannot use the node
 * as a relay to a gateway that trusts it.
 */
final class InDialogRouter {
    /** What to do with an in-dialog request. */
    sealed interface Decision {
    }

    record Forward(SipRequest forwarded, Destination downstream, String branch) implements Decision {
    }

    /** Answer it ourselves (481 when it belongs to no dialog of ours, 483 when out of hops); an ACK is dropped. */
    record Refuse(int status, String reason) implements Decision {
    }

    private static final Refuse NO_DIALOG = new Refuse(481, "Call/Transaction Does Not Exist");

    private final SessionSettings settings;
    private final String callId;

    InDialogRouter(SessionSettings settings, String callId) {
        this.settings = settings;
        this.callId = callId;
    }

    /**
     * @param dialogKnown whether the call's own state holds the request's dialog ({@link KnownDialogs}); when it
     *                    does not, only our Record-Route token can vouch for the request
     * @param dialogTarget how the answered dialog reaches the side the request goes to ({@link DialogTargets}):
     *                    used when no Route is left after ours, so a phone behind NAT gets it where it spoke from
     */
    Decision route(SipRequest request, Peer hop, boolean dialogKnown, Optional<Destination> dialogTarget) {
        List<NameAddress> routes = request.routes();
        Optional<SipUri> top = routes.isEmpty() ? Optional.empty() : Optional.of(routes.get(0).uri());
        boolean vouched = top.filter(uri -> settings.vouchesFor(uri, request)).isPresent();
        if (!dialogKnown && !vouched) {
            return NO_DIALOG;
        }
        int ours = ownRoutes(request, hop);
        boolean routedToUs = ours > 0;
        List<NameAddress> remaining = routes.subList(ours, routes.size());
        SipUri target = remaining.isEmpty() ? request.requestUri() : remaining.get(0).uri();
        if (settings.isUs(target, hop, request) || (!routedToUs && routes.isEmpty() && target.user().isEmpty())) {
            return NO_DIALOG;
        }
        OptionalInt maxForwards = request.maxForwards();
        if (maxForwards.isPresent() && maxForwards.getAsInt() <= 0) {
            return new Refuse(483, "Too Many Hops");
        }
        Destination downstream = remaining.isEmpty() && dialogKnown
                ? dialogTarget.orElseGet(() -> Hops.downstream(target)) : Hops.downstream(target);
        // the ACK of a non-2xx final shares its INVITE's branch (§17.1.1.3), so it must leave with the same one
        String method = request.methodType().equals(Method.ACK) ? "INVITE" : request.method();
        String branch = settings.branches().derive(callId, request.topVia().branch().orElse("") + "|" + method);
        MessageEditor edit = request.edit();
        for (int i = 0; i < ours; i++) {
            edit.removeFirstValue(HeaderName.ROUTE);
        }
        ProxyCredentials.consume(request, edit, settings);
        ProxyMessages.decrementMaxForwards(request, edit).prepend(HeaderName.VIA, settings.via(downstream.transport().name(), branch, hop));
        return new Forward((SipRequest) edit.build(), downstream, branch);
    }

    /** Removes the top Route when it names this node (it was pre-loaded or recorded by us), both when we recorded two. */
    void popOwnRoute(SipRequest request, MessageEditor edit, Peer hop) {
        for (int i = ownRoutes(request, hop); i > 0; i--) {
            edit.removeFirstValue(HeaderName.ROUTE);
        }
    }

    /**
     * How many of the top Routes are ours: one, or two where we double Record-Routed between a WebSocket and
     * another transport (RFC 5658); both come off before the request goes on.
     */
    private int ownRoutes(SipRequest request, Peer hop) {
        List<NameAddress> routes = request.routes();
        int n = 0;
        while (n < Math.min(2, routes.size()) && settings.isUs(routes.get(n).uri(), hop, request)) {
            n++;
        }
        return n;
    }
}
