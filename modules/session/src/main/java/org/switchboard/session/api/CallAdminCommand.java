package org.switchboard.session.api;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;

/** What the admin API asks of a call. */
public final class CallAdminCommand {
    private CallAdminCommand() {
    }

    public record Describe(ActorRef<CallView> replyTo) implements CallCommand {
    }

    /**
     * Ends an answered call on both sides with BYEs of the proxy's own, persisted as ended by the operator; an error
     * when the call is not up (not answered yet, failed, or ended).
     */
    public record HangUp(ActorRef<StatusReply<Done>> replyTo) implements CallCommand {
    }
}
