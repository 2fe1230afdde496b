package org.switchboard.session.proxy;

import java.util.List;
import java.util.Optional;

import org.switchboard.transport.api.Destination;

/**
 * Where one fork goes.
 *
 * @param uri       the Request-URI of the fork (a contact, a forwarding target, a redirect)
 * @param via       how it is reached when not by its URI alone (a phone behind NAT, a flow)
 * @param outbound  a configured route (an outbound proxy URI) the fork is sent to instead of its URI's host
 * @param diversion the Diversion header value when the call is being forwarded
 * @param routes    Route headers it is sent with (a binding's Path)
 */
public record ForkTarget(String uri, Optional<Destination> via, Optional<String> outbound, Optional<String> diversion,
                         List<String> routes) {
    public ForkTarget {
        routes = List.copyOf(routes);
    }

    public static ForkTarget to(String uri) {
        return new ForkTarget(uri, Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    ForkTarget through(Optional<String> route) {
        return new ForkTarget(uri, via, route, diversion, routes);
    }

    ForkTarget divertedBecause(String diversionValue) {
        return new ForkTarget(uri, via, outbound, Optional.of(diversionValue), routes);
    }
}
