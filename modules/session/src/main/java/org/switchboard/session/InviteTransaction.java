package org.switchboard.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;

/**
 * A proxied INVITE: the server transaction toward the caller and the forks toward the callee's devices. This is
 * the Call actor's private working memory — never shared, never persisted (the RFC's transaction state is
 * rebuilt from retransmissions after a failover) — so it is a plain mutable object owned by the actor.
 */
final class InviteTransaction {
    /** A target still to try, with the reason it is being diverted to, if it is. */
    record Target(String uri, Optional<Destination> via, Optional<String> diversion) {
    }

    final String key;
    final Envelope envelope;
    final SipRequest request;
    final Destination upstream;
    Optional<byte[]> lastResponse = Optional.empty();
    int finalStatus;
    boolean cancelled;
    boolean diverted;
    /** A registrar lookup for a diversion target is under way: the call is not over when every fork is. */
    boolean lookupPending;
    /** The caller's ACK for our non-2xx final arrived: stop retransmitting it. */
    boolean acknowledged;
    int redirects;
    ForwardingRules forwarding = ForwardingRules.NONE;
    final Map<String, Branch> branches = new LinkedHashMap<>();
    final List<SipResponse> finals = new ArrayList<>();
    /** Lower-q groups of targets, tried when every branch of the current group failed (RFC 3261 §16.6). */
    final Deque<List<Target>> laterGroups = new ArrayDeque<>();

    InviteTransaction(String key, Envelope envelope, SipRequest request, Destination upstream) {
        this.key = key;
        this.envelope = envelope;
        this.request = request;
        this.upstream = upstream;
    }

    boolean finalSent() {
        return finalStatus >= 200;
    }

    boolean anyPending() {
        return branches.values().stream().anyMatch(Branch::pending);
    }

    void remember(byte[] response, int status) {
        lastResponse = Optional.of(response);
        if (status >= 200) {
            finalStatus = status;
        }
    }
}
