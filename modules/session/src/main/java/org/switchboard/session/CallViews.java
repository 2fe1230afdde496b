package org.switchboard.session;

import org.switchboard.session.api.CallView;

/** The operator's view of a call's persisted state. */
final class CallViews {
    private CallViews() {
    }

    static CallView of(String callId, CallState state, String node) {
        if (state instanceof CallState.Answered a) {
            Dialog d = a.dialog();
            return new CallView(callId, "answered", d.from(), d.to(), d.callerContact(), d.calleeContact(),
                    a.answeredAtMillis(), a.sessionExpiresAtMillis(), 0, "", node);
        }
        if (state instanceof CallState.Ended e) {
            return new CallView(callId, "ended", "", "", "", "", e.answeredAtMillis(), 0, e.endedAtMillis(), e.cause(),
                    node);
        }
        if (state instanceof CallState.Failed f) {
            return new CallView(callId, "failed", "", "", "", "", 0, 0, f.atMillis(), Integer.toString(f.status()), node);
        }
        return new CallView(callId, "setup", "", "", "", "", 0, 0, 0, "", node);
    }
}
