package org.switchboard.transport.overload;

/**
 * Where the journal samples the entities report to {@link Overload} go besides its gauge: the node's metrics. Called
 * from entities' threads after each write and at each failure, so an implementation must be cheap and lock-free.
 */
public interface JournalSamples {
    /** A journal write (persist to its acknowledgement) took {@code nanos}. */
    void written(long nanos);

    /** An entity restarted because the journal failed it (a write or its recovery). */
    void failed();

    JournalSamples NONE = new JournalSamples() {
        @Override
        public void written(long nanos) {
        }

        @Override
        public void failed() {
        }
    };
}
