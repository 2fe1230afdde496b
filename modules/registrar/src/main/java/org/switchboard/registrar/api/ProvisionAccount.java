package org.switchboard.registrar.api;

import akka.Done;
import akka.actor.typed.ActorRef;

/**
 * Create the account of this AOR or change its credentials. Idempotent: the same credentials again persist
 * nothing. Only HA1 digests travel, never the password.
 */
public record ProvisionAccount(String username, String realm, String ha1Md5, String ha1Sha256,
                               ActorRef<Done> replyTo) implements RegistrationCommand {
}
