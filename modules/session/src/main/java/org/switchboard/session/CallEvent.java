package org.switchboard.session;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;

import org.switchboard.transport.api.ClusterSerializable;

/** What a Call entity persists: the facts a carrier cannot afford to lose, and the record a CDR is made of. */
public sealed interface CallEvent extends ClusterSerializable {
    /**
     * The call was answered: the dialog, and when its session timer (if any) next runs out.
     *
     * @param invitedAtMillis when the caller's INVITE reached the entity; 0 when not known (an answer after a
     *                        failover, or an event written before the field was)
     * @param node            the core node that wrote it ({@code host:port} of its cluster address); empty in
     *                        older events
     */
    record CallAnswered(Dialog dialog, long atMillis, long sessionExpiresAtMillis, long invitedAtMillis, String node)
            implements CallEvent {
        @JsonCreator
        public CallAnswered {
            node = node == null ? "" : node; // absent from older events (Jackson leaves it null)
        }

        public CallAnswered(Dialog dialog, long atMillis, long sessionExpiresAtMillis) {
            this(dialog, atMillis, sessionExpiresAtMillis, 0, "");
        }
    }

    /** A refresh (re-INVITE or UPDATE answered 2xx) pushed the session timer out. */
    record SessionRefreshed(Dialog dialog, long atMillis, long sessionExpiresAtMillis) implements CallEvent {
    }

    /** A side of the dialog moved (a target refresh from a new Contact, address or connection). */
    record RemoteTargetRefreshed(Dialog dialog, long atMillis) implements CallEvent {
    }

    /** A REFER was accepted: the call is being transferred to {@code target}. */
    record CallTransferred(String target, long atMillis) implements CallEvent {
    }

    /**
     * The call attempt ended without an answer (final status relayed to the caller; 487 when the caller cancelled).
     *
     * @param requestUri      the INVITE's Request-URI as the caller sent it; empty in older events
     * @param invitedAtMillis when the INVITE reached the entity; 0 when not known
     * @param node            the core node that wrote it; empty in older events
     */
    record CallFailed(int status, String reason, String from, String to, long atMillis, String requestUri,
                      long invitedAtMillis, String node) implements CallEvent {
        @JsonCreator
        public CallFailed {
            requestUri = requestUri == null ? "" : requestUri; // absent from older events
            node = node == null ? "" : node;
        }

        public CallFailed(int status, String reason, String from, String to, long atMillis) {
            this(status, reason, from, to, atMillis, "", 0, "");
        }
    }

    /**
     * The call ended.
     *
     * @param by   who ended it: {@code caller} or {@code callee} (the side whose BYE it was), {@code timer} (a
     *             session timer ran out), {@code operator} (the admin API), {@code node} (the maximum call duration),
     *             {@code unknown} (a BYE whose transaction was lost); empty in older events
     * @param node the core node that wrote it; empty in older events
     */
    record CallEnded(String cause, long atMillis, String by, String node) implements CallEvent {
        @JsonCreator
        public CallEnded {
            by = by == null ? "" : by; // absent from older events
            node = node == null ? "" : node;
        }

        public CallEnded(String cause, long atMillis) {
            this(cause, atMillis, "", "");
        }
    }

    /**
     * The entity was handed over to another node while these INVITEs rang; the next incarnation takes them up.
     * Superseded by the call's next event (answered, failed) or once Timer C would have ended them anyway.
     */
    record RingingHandedOver(List<HandedOverInvite> invites, long atMillis) implements CallEvent {
    }
}
