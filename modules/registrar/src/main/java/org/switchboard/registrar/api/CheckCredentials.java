package org.switchboard.registrar.api;

import java.util.List;

import akka.actor.typed.ActorRef;

/**
 * Is a request from this AOR's user authorised? Used by the proxy to authenticate callers (407): the values of
 * the request's Proxy-Authorization headers are checked against the account like a REGISTER's Authorization.
 */
public record CheckCredentials(String method, List<String> proxyAuthorization, ActorRef<CredentialsVerdict> replyTo)
        implements RegistrationCommand {
    public CheckCredentials {
        proxyAuthorization = List.copyOf(proxyAuthorization);
    }
}
