package org.switchboard.session;

import java.time.Clock;
import java.time.Duration;

import org.switchboard.sip.Branches;
import org.switchboard.sip.SipUri;

/**
 * What the call logic needs to know about the node: its own address (for Via, Record-Route and recognising
 * Routes that name it), the branch generator, and how long to wait for a registrar lookup.
 */
public record SessionSettings(String advertisedHost, int advertisedPort, String bindHost, int bindPort,
                              Branches branches, Duration lookupTimeout, Clock clock) {

    /** The Record-Route value this node inserts (loose routing, RFC 3261 §16.6 step 4). */
    public String recordRoute() {
        return "<sip:" + advertisedHost + ":" + advertisedPort + ";lr>";
    }

    public String via(String transport, String branch) {
        return "SIP/2.0/" + transport + " " + advertisedHost + ":" + advertisedPort + ";branch=" + branch;
    }

    /** Whether a URI names this node (a Route or Request-URI pointing at us). */
    public boolean isUs(SipUri uri) {
        int port = uri.port().orElse(5060);
        boolean host = uri.host().equalsIgnoreCase(advertisedHost) || uri.host().equalsIgnoreCase(bindHost);
        return host && (port == advertisedPort || port == bindPort);
    }
}
