package org.switchboard.registrar.api;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;

/**
 * Provisioning of the account of one AOR, the commands behind the admin API. Each replies
 * {@code StatusReply.success(Done)}, or an error saying why (e.g. no such account), except the two that read.
 */
public final class AccountCommand {
    private AccountCommand() {
    }

    public record Disable(ActorRef<StatusReply<akka.Done>> replyTo) implements RegistrationCommand {
    }

    public record Enable(ActorRef<StatusReply<akka.Done>> replyTo) implements RegistrationCommand {
    }

    /** Deletes the account and drops every binding. */
    public record Delete(ActorRef<StatusReply<akka.Done>> replyTo) implements RegistrationCommand {
    }

    public record SetForwarding(ForwardingRules rules, ActorRef<StatusReply<akka.Done>> replyTo)
            implements RegistrationCommand {
    }

    /** The account's own call limits (toll fraud); {@link CallLimits#DEFAULTS} returns it to the cluster's. */
    public record SetCallLimits(CallLimits limits, ActorRef<StatusReply<akka.Done>> replyTo)
            implements RegistrationCommand {
    }

    /** Lists every binding, live or lapsed-but-not-yet-removed, with the account's state. */
    public record ListBindings(ActorRef<LookupResult> replyTo) implements RegistrationCommand {
    }

    /** The account and every binding, for an operator. */
    public record Describe(ActorRef<AccountView> replyTo) implements RegistrationCommand {
    }

    /** Removes one binding by its contact URI (or instance id), e.g. a stolen device; {@code *} removes all. */
    public record RemoveBinding(String contactOrInstance, ActorRef<StatusReply<akka.Done>> replyTo)
            implements RegistrationCommand {
    }
}
