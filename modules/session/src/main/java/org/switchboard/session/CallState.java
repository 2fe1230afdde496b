package org.switchboard.session;

/** The persisted phase of a call. Transactions in flight are not here: they live in the entity's memory. */
public sealed interface CallState {
    CallState apply(CallEvent event);

    /** No answered dialog yet (the call may be being set up). */
    record Setup() implements CallState {
        @Override
        public CallState apply(CallEvent event) {
            if (event instanceof CallEvent.CallAnswered a) {
                return new Answered(a.dialog(), a.atMillis());
            }
            return new Ended(((CallEvent.CallEnded) event).cause(), 0, ((CallEvent.CallEnded) event).atMillis());
        }
    }

    record Answered(Dialog dialog, long answeredAtMillis) implements CallState {
        @Override
        public CallState apply(CallEvent event) {
            if (event instanceof CallEvent.CallEnded e) {
                return new Ended(e.cause(), answeredAtMillis, e.atMillis());
            }
            return this;
        }
    }

    record Ended(String cause, long answeredAtMillis, long endedAtMillis) implements CallState {
        @Override
        public CallState apply(CallEvent event) {
            return this;
        }
    }
}
