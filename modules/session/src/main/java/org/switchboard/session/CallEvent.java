package org.switchboard.session;

import org.switchboard.transport.api.ClusterSerializable;

/** What a Call entity persists: the facts a carrier cannot afford to lose. */
public sealed interface CallEvent extends ClusterSerializable {
    record CallAnswered(Dialog dialog, long atMillis) implements CallEvent {
    }

    record CallEnded(String cause, long atMillis) implements CallEvent {
    }
}
