package org.switchboard.registrar.api;

import java.util.List;

import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.TransportCommand;

import akka.actor.typed.ActorRef;

/**
 * Is a request from this AOR's user authorised, and may it start this call? Used by the proxy to authenticate
 * callers (407): the values of the request's Proxy-Authorization headers are checked against the account like a
 * REGISTER's Authorization, and an admitted call counts against the account's call limits until
 * {@link CallFinished}.
 *
 * @param requestUri the request's Request-URI as received: the digest {@code uri} must name it
 * @param callId     the call to admit; asking again for the same Call-ID counts it once
 * @param source     where the request came from, reported to {@code transport} when the credentials fail
 * @param transport  the send path of the transport node that received the request
 */
public record CheckCredentials(String method, String requestUri, List<String> proxyAuthorization, String callId,
                               Peer source, ActorRef<TransportCommand> transport,
                               ActorRef<CredentialsVerdict> replyTo) implements RegistrationCommand {
    public CheckCredentials {
        proxyAuthorization = List.copyOf(proxyAuthorization);
    }
}
