package org.switchboard.registrar.api;

import akka.actor.typed.ActorRef;

/** Where can this AOR be reached now? Wakes a passivated entity. */
public record Lookup(ActorRef<LookupResult> replyTo) implements RegistrationCommand {
}
