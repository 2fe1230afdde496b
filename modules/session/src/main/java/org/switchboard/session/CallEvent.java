package org.switchboard.session;

import java.util.List;

import org.switchboard.transport.api.ClusterSerializable;

/** What a Call entity persists: the facts a carrier cannot afford to lose, and the record a CDR is made of. */
public sealed interface CallEvent extends ClusterSerializable {
    /** The call was answered: the dialog, and when its session timer (if any) next runs out. */
    record CallAnswered(Dialog dialog, long atMillis, long sessionExpiresAtMillis) implements CallEvent {
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

    /** The call attempt ended without an answer (final status relayed to the caller). */
    record CallFailed(int status, String reason, String from, String to, long atMillis) implements CallEvent {
    }

    record CallEnded(String cause, long atMillis) implements CallEvent {
    }

    /**
     * The entity was handed over to another node while these INVITEs rang; the next incarnation takes them up.
     * Superseded by the call's next event (answered, failed) or once Timer C would have ended them anyway.
     */
    record RingingHandedOver(List<HandedOverInvite> invites, long atMillis) implements CallEvent {
    }
}
