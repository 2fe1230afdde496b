package org.switchboard.session;

import java.util.ArrayList;
import java.util.List;

import org.switchboard.transport.api.Destination;

/**
 * The BYEs that end a dead call on both sides when its session timer runs out (RFC 4028 §10), or one that lasted
 * the maximum call duration: each side gets a BYE in its own view of the dialog (From and To swapped for the
 * caller), with a CSeq above the last it used.
 */
final class SessionTeardown {
    static final String REASON = "session timer expired";

    record Bye(byte[] bytes, Destination destination) {
    }

    private SessionTeardown() {
    }

    static List<Bye> byes(SessionSettings settings, Dialog d, long lastCallerCseq, long lastCalleeCseq) {
        return byes(settings, d, lastCallerCseq, lastCalleeCseq, REASON);
    }

    /** The same BYEs with another Reason text (the maximum call duration). */
    static List<Bye> byes(SessionSettings settings, Dialog d, long lastCallerCseq, long lastCalleeCseq, String reason) {
        List<Bye> out = new ArrayList<>(2);
        String callId = d.callId();
        if (!d.calleeContact().isEmpty()) {
            String via = settings.via(d.calleeHop().transport().name(), settings.branches().derive(callId, "st-bye-callee"), d.proxy());
            out.add(new Bye(ProxyMessages.byeTo(d.calleeContact(), via, d.from(), d.to(), callId, lastCallerCseq + 1, reason),
                    d.calleeHop()));
        }
        if (!d.callerContact().isEmpty()) {
            String via = settings.via(d.callerHop().transport().name(), settings.branches().derive(callId, "st-bye-caller"), d.proxy());
            out.add(new Bye(ProxyMessages.byeTo(d.callerContact(), via, d.to(), d.from(), callId, lastCalleeCseq + 1, reason),
                    d.callerHop()));
        }
        return out;
    }
}
