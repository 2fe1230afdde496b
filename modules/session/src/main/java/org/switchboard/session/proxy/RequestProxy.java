package org.switchboard.session.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.switchboard.registrar.api.GruuTarget;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipUri;

/**
 * The proxy core of one out-of-dialog request other than INVITE (MESSAGE, OPTIONS, SUBSCRIBE, PUBLISH, NOTIFY,
 * REFER, ...): a pure machine, one record per phase, fed by the executor like {@link InviteProxy}.
 *
 * <pre>
 *   Admitting --sender authorised--> LookingUp --devices found--> Forking --first 2xx, or all forks final--> Decided
 *       |                                |                           (the best final, §16.7 step 6)
 *       +--challenged, refused-----------+--not found, unreachable--------------------------------------> Decided
 * </pre>
 *
 * Differences from an INVITE (RFC 3261 §16): the request goes to every device of the user at once (no q-ordered
 * rounds, no forwarding, no ring timer, nothing to cancel: §16.7 step 10 cancels INVITE forks only); a fork's
 * timeout (Timer F) counts as a 408 (§16.7 step 2 ... "as if a 408"); nothing of it is persisted. A request with an
 * event package that has a configured route (SUBSCRIBE or PUBLISH for {@code presence} to a presence server,
 * {@code message-summary} to a voicemail server) goes there with its Request-URI unchanged.
 */
public sealed interface RequestProxy {
    Request request();

    /**
     * The facts of the request the decisions need.
     *
     * @param eventRoute the configured next hop for its event package, if any
     */
    record Request(RequestKey key, String requestUri, String from, boolean trustedSource, Optional<String> eventRoute) {
    }

    record Admitting(Request request) implements RequestProxy {
    }

    /** The registrar is asked for the user's devices, or for the one device a GRUU names (RFC 5627). */
    record LookingUp(Request request, Optional<GruuTarget> gruu) implements RequestProxy {
    }

    /** Forks under way; {@code finals} holds the non-2xx final responses of those done. */
    record Forking(Request request, Set<BranchId> pending, List<Final> finals) implements RequestProxy {
        public Forking {
            pending = Set.copyOf(pending);
            finals = List.copyOf(finals);
        }
    }

    /**
     * The sender has its final response. §16.7 step 5 forwards a later 2xx only for an INVITE: for these requests
     * the first 2xx wins and every later response of another fork ends here.
     */
    record Decided(Request request, int status) implements RequestProxy {
    }

    /** What a transition yields: the next phase and the actions, in order. */
    record Next(RequestProxy phase, List<ProxyAction> actions) {
        public Next {
            actions = List.copyOf(actions);
        }
    }

    static Next start(Request request, ProxyRules rules) {
        boolean ours = rules.ours(NameAddress.parse(request.from()).uri());
        if (rules.authenticateCallers() && ours && !request.trustedSource()) {
            return new Next(new Admitting(request), List.of(new ProxyAction.CheckCaller()));
        }
        return route(request, rules, ours || !rules.authenticateCallers());
    }

    /** The registrar judged the sender's credentials. */
    default Next judged(ProxyInput.CallerJudged j, ProxyRules rules) {
        if (!(this instanceof Admitting)) {
            return new Next(this, List.of());
        }
        return switch (j.verdict().outcome()) {
            case AUTHORISED -> route(request(), rules, true);
            case CHALLENGE -> new Next(new Decided(request(), 407), List.of(new ProxyAction.Challenge(j.verdict().challenges())));
            case FORBIDDEN, LIMITED -> reject(403, "Forbidden - sender not authorised");
        };
    }

    /** The registrar's answer for the user of the Request-URI. */
    default Next found(LookupResult.Status status, List<List<ForkTarget>> groups, ProxyRules rules) {
        if (!(this instanceof LookingUp)) {
            return new Next(this, List.of());
        }
        if (status == LookupResult.Status.UNKNOWN) {
            return reject(404, "Not Found");
        }
        List<ForkTarget> all = groups.stream().flatMap(List::stream).toList();
        if (((LookingUp) this).gruu().isPresent() && all.size() > 1) {
            all = all.subList(0, 1); // one device: its several flows are ways to reach it, not devices to ring (RFC 5626 §5.3)
        }
        if (status != LookupResult.Status.REGISTERED || all.isEmpty()) {
            return reject(480, "Temporarily Unavailable");
        }
        return fork(request(), all, rules);
    }

    default Next unreachable() {
        return this instanceof Admitting || this instanceof LookingUp
                ? reject(503, "Service Unavailable") : new Next(this, List.of());
    }

    /**
     * A fork's final response (a timeout as 408). §16.7 step 5: a 2xx goes up at once; otherwise the best of all
     * finals once every fork has one (step 6). Once decided, nothing more goes up.
     */
    default Next finalFrom(BranchId fork, Final response) {
        boolean success = response.status() / 100 == 2;
        if (this instanceof Forking f && f.pending().contains(fork)) {
            if (success) {
                return new Next(new Decided(request(), response.status()), List.of(new ProxyAction.RelayFinal(response)));
            }
            Set<BranchId> pending = new java.util.HashSet<>(f.pending());
            pending.remove(fork);
            List<Final> finals = new ArrayList<>(f.finals());
            finals.add(response);
            if (!pending.isEmpty()) {
                return new Next(new Forking(request(), pending, finals), List.of());
            }
            Final best = BestFinal.choose(finals).orElseThrow();
            int relayed = BestFinal.relayedStatus(best.status());
            if (relayed != best.status()) {
                return new Next(new Decided(request(), relayed),
                        List.of(new ProxyAction.Reject(relayed, BestFinal.reasonOf(relayed))));
            }
            return new Next(new Decided(request(), best.status()), List.of(new ProxyAction.RelayFinal(best)));
        }
        return new Next(this, List.of());
    }

    default boolean decided() {
        return this instanceof Decided;
    }

    private Next reject(int status, String reason) {
        return new Next(new Decided(request(), status), List.of(new ProxyAction.Reject(status, reason)));
    }

    /** §16.5: an event package with a route goes there; a user of ours is looked up; other domains by their route. */
    private static Next route(Request request, ProxyRules rules, boolean authenticated) {
        if (request.eventRoute().isPresent() && authenticated) {
            return fork(request, List.of(ForkTarget.to(request.requestUri()).through(request.eventRoute())), rules);
        }
        SipUri ruri = SipUri.parse(request.requestUri());
        if (ruri.isSip() && ruri.user().isPresent() && rules.serves(ruri.host()) && ruri.params().has("gr")) {
            Optional<GruuTarget> gruu = rules.gruu(ruri); // RFC 5627 §6.1: that device only; no such GRUU: 404
            return gruu.map(g -> new Next(new LookingUp(request, gruu),
                            List.of(new ProxyAction.LookUp(g.aor(), Optional.empty(), 0, gruu))))
                    .orElseGet(() -> new Next(new Decided(request, 404), List.of(new ProxyAction.Reject(404, "Not Found"))));
        }
        if (ruri.isSip() && ruri.user().isPresent() && rules.serves(ruri.host())) {
            return new Next(new LookingUp(request, Optional.empty()),
                    List.of(new ProxyAction.LookUp(ruri.addressOfRecord(), Optional.empty(), 0)));
        }
        Optional<String> route = rules.routeFor(ruri.host());
        if (route.isPresent() && authenticated) {
            return fork(request, List.of(ForkTarget.to(request.requestUri()).through(route)), rules);
        }
        return new Next(new Decided(request, 403),
                List.of(new ProxyAction.Reject(403, "Forbidden - no route to " + ruri.host())));
    }

    private static Next fork(Request request, List<ForkTarget> targets, ProxyRules rules) {
        List<ProxyAction> actions = new ArrayList<>();
        Set<BranchId> pending = new java.util.HashSet<>();
        for (ForkTarget target : targets) {
            BranchId id = rules.branchFor(request.key().toString(), target.uri(), pending.size());
            pending.add(id);
            actions.add(new ProxyAction.StartFork(id, target));
        }
        return new Next(new Forking(request, pending, List.of()), actions);
    }
}
