package org.switchboard.session;

/** The persisted phase of a call (serializable for snapshots). Transactions in flight live in the entity's memory. */
public sealed interface CallState extends org.switchboard.transport.api.ClusterSerializable {
    CallState apply(CallEvent event);

    /**
     * No answered dialog yet (the call may be being set up).
     *
     * @param handedOver INVITEs that rang when the entity last moved between nodes, and when it moved
     */
    record Setup(java.util.List<HandedOverInvite> handedOver, long handedOverAtMillis) implements CallState {
        public Setup() {
            this(java.util.List.of(), 0);
        }

        @Override
        public CallState apply(CallEvent event) {
            if (event instanceof CallEvent.RingingHandedOver h) {
                return new Setup(h.invites(), h.atMillis());
            }
            if (event instanceof CallEvent.CallAnswered a) {
                return new Answered(a.dialog(), a.atMillis(), a.sessionExpiresAtMillis(), false);
            }
            if (event instanceof CallEvent.CallFailed f) {
                return new Failed(f.status(), f.atMillis());
            }
            if (event instanceof CallEvent.CallEnded e) {
                return new Ended(e.cause(), 0, e.atMillis());
            }
            return this;
        }
    }

    /** @param sessionExpiresAtMillis 0 without a session timer */
    record Answered(Dialog dialog, long answeredAtMillis, long sessionExpiresAtMillis, boolean transferred)
            implements CallState {
        @Override
        public CallState apply(CallEvent event) {
            if (event instanceof CallEvent.SessionRefreshed r) {
                return new Answered(r.dialog(), answeredAtMillis, r.sessionExpiresAtMillis(), transferred);
            }
            if (event instanceof CallEvent.RemoteTargetRefreshed r) {
                return new Answered(r.dialog(), answeredAtMillis, sessionExpiresAtMillis, transferred);
            }
            if (event instanceof CallEvent.CallTransferred) {
                return new Answered(dialog, answeredAtMillis, sessionExpiresAtMillis, true);
            }
            if (event instanceof CallEvent.CallEnded e) {
                return new Ended(e.cause(), answeredAtMillis, e.atMillis());
            }
            return this;
        }
    }

    /** The attempt failed; a new INVITE with the same Call-ID may still try again. */
    record Failed(int status, long atMillis) implements CallState {
        @Override
        public CallState apply(CallEvent event) {
            return new Setup().apply(event);
        }
    }

    record Ended(String cause, long answeredAtMillis, long endedAtMillis) implements CallState {
        @Override
        public CallState apply(CallEvent event) {
            return this;
        }
    }
}
