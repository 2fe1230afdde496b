package org.switchboard.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.Via;
import org.switchboard.sip.transaction.InviteServerTransaction;
import org.switchboard.transport.api.Destination;
import org.switchboard.transport.api.Envelope;

/**
 * A proxied INVITE (an initial one or a re-INVITE): the server transaction toward the sender and the forks
 * toward the callee's devices (one fork, along the route set, for a re-INVITE). This is
 * the Call actor's private working memory — never shared, never persisted (the RFC's transaction state is
 * rebuilt from retransmissions after a failover) — so it is a plain mutable object owned by the actor.
 */
final class InviteTransaction {
    /**
     * A target still to try, with the reason it is being diverted to, if it is.
     *
     * @param via    how it is reached when not by its URI alone (see {@link Reachability})
     * @param routes Route headers it is sent with (a binding's Path)
     */
    record Target(String uri, Optional<Destination> via, Optional<String> diversion, List<String> routes) {
        Target {
            routes = List.copyOf(routes);
        }

        Target(String uri, Optional<Destination> via, Optional<String> diversion) {
            this(uri, via, diversion, List.of());
        }

        /** The registered contacts as groups of equal q, highest first as the registrar lists them (§16.6). */
        static List<List<Target>> byQ(List<ContactBinding> bindings, Optional<String> diversion) {
            List<List<Target>> groups = new ArrayList<>();
            double q = Double.NaN;
            for (ContactBinding b : bindings) {
                if (groups.isEmpty() || b.q() != q) {
                    groups.add(new ArrayList<>());
                    q = b.q();
                }
                groups.get(groups.size() - 1).add(new Target(b.contact(), Optional.of(Reachability.ofBinding(b)),
                        diversion, Reachability.routesOf(b)));
            }
            return groups;
        }
    }

    final String key;
    final Envelope envelope;
    final SipRequest request;
    final Destination upstream;
    /** The server transaction toward the caller, driven by {@link CallerTransactions}; set when it starts. */
    Optional<InviteServerTransaction> server = Optional.empty();
    /** The last response sent to the caller, replayed to retransmissions of the INVITE. */
    Optional<byte[]> lastResponse = Optional.empty();
    /** The final status decided for the caller (set before it is persisted and sent); below 200 while none. */
    int finalStatus;
    boolean cancelled;
    boolean diverted;
    /** A registrar lookup for a diversion target is under way: the call is not over when every fork is. */
    boolean lookupPending;
    int redirects;
    /** The caller passed its check (or needed none) and the call was routed: a hand-over need not check it again. */
    boolean routed;
    /** The caller proved who it is (or comes from where it need not): it may use the static routes. */
    boolean authenticated;
    /** When the ring timer runs out (epoch ms), 0 while none runs: a hand-over re-arms it for what is left. */
    long ringUntilMillis;
    ForwardingRules forwarding = ForwardingRules.NONE;
    final Map<String, Branch> branches = new LinkedHashMap<>();
    final List<SipResponse> finals = new ArrayList<>();
    /** Lower-q groups of targets, tried when every branch of the current group failed (RFC 3261 §16.6). */
    final Deque<List<Target>> laterGroups = new ArrayDeque<>();

    /** A re-INVITE inside an answered dialog: one fork along the route set, nothing looked up or followed. */
    final boolean inDialog;

    InviteTransaction(String key, Envelope envelope, SipRequest request, Destination upstream, boolean inDialog) {
        this.key = key;
        this.envelope = envelope;
        this.request = request;
        this.upstream = upstream;
        this.inDialog = inDialog;
    }

    /** A transaction for an INVITE (or re-INVITE) that just arrived: keyed by its top Via, answered where it came from. */
    static InviteTransaction of(Envelope envelope, SipRequest invite, boolean inDialog) {
        Via top = invite.topVia();
        return new InviteTransaction(keyOf(top), envelope, invite, Hops.upstream(envelope, top), inDialog);
    }

    /** The key of an INVITE server transaction, which its CANCEL and non-2xx ACK share (§17.2.3). */
    static String keyOf(Via top) {
        return top.branch().orElse("") + "|" + top.sentBy();
    }

    boolean finalSent() {
        return finalStatus >= 200;
    }

    boolean anyPending() {
        return branches.values().stream().anyMatch(Branch::pending);
    }

    /** The final status is decided: from now on nothing but 2xx from other forks goes up (§16.7 step 10). */
    void decided(int status) {
        if (status >= 200 && !finalSent()) {
            finalStatus = status;
        }
    }
}
