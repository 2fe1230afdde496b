package org.switchboard.node;

import java.util.Optional;

import org.switchboard.node.activity.Activity;
import org.switchboard.node.metrics.InboundRequests;
import org.switchboard.registrar.api.AwakeRegistrations;
import org.switchboard.session.api.AwakeCalls;
import org.switchboard.sip.Method;
import org.switchboard.sip.SipMessage;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.Envelope;
import org.switchboard.transport.api.InboundRouter;
import org.switchboard.transport.api.Send;
import org.switchboard.transport.api.SendPaths;
import org.switchboard.transport.overload.EdgeAdmission;


/**
 * docs/architecture.md, "The path of a message" step 2: REGISTER to the Registration of the To AOR, everything else
 * to the Call of its Call-ID (each directly when its entity is awake on this node, {@link AwakeRegistrations},
 * {@link AwakeCalls}); new work that
 * the overloaded node refuses is answered here ({@link EdgeAdmission}).
 */
final class SipRouter implements InboundRouter {
    private final AwakeCalls calls;
    private final AwakeRegistrations registrations;
    private final EdgeAdmission admission;
    private final Activity activity;
    private final InboundRequests metrics;

    SipRouter(AwakeCalls calls, AwakeRegistrations registrations, EdgeAdmission admission,
              Activity activity, InboundRequests metrics) {
        this.calls = calls;
        this.registrations = registrations;
        this.admission = admission;
        this.activity = activity;
        this.metrics = metrics;
    }

    @Override
    public void route(Envelope envelope, SipMessage message) {
        if (message instanceof SipRequest request) {
            count(request); // before admission: what the node refuses is part of what it was offered
            metrics.received(request, envelope.transport());
            if (admission.endsHere(request)) {
                return;
            }
            Optional<byte[]> refusal = admission.refusal(request);
            if (refusal.isPresent()) {
                SendPaths.send(envelope.replyTo(), new Send(refusal.get(), envelope.backToSender()));
                return;
            }
            if (request.method().equals("REGISTER")) {
                registrations.deliver(request.to().uri().addressOfRecord(), envelope, request);
                return;
            }
        }
        calls.deliver(message.callId(), envelope, message);
    }

    private void count(SipRequest request) {
        Method method = request.methodType();
        if (method.equals(Method.REGISTER)) {
            activity.registerReceived();
        } else if (method.equals(Method.INVITE) && !request.hasToTag()) {
            activity.initialInviteReceived(request.callId());
        }
    }
}
