package org.switchboard.session.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.registrar.api.GruuTarget;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.session.proxy.InviteProxy.Admitting;
import org.switchboard.session.proxy.InviteProxy.Cancelling;
import org.switchboard.session.proxy.InviteProxy.Decided;
import org.switchboard.session.proxy.InviteProxy.Forking;
import org.switchboard.session.proxy.InviteProxy.LookingUp;
import org.switchboard.session.proxy.InviteProxy.Lookup;
import org.switchboard.session.proxy.ProxyAction.ArmRingTimer;
import org.switchboard.session.proxy.ProxyAction.StopRingTimer;
import org.switchboard.session.proxy.ProxyInput.Answered;
import org.switchboard.session.proxy.ProxyInput.CalleeFound;
import org.switchboard.session.proxy.ProxyInput.CallerJudged;
import org.switchboard.session.proxy.ProxyInput.Cancelled;
import org.switchboard.session.proxy.ProxyInput.Failed;
import org.switchboard.session.proxy.ProxyInput.Provisional;
import org.switchboard.session.proxy.ProxyInput.RegistrarUnreachable;
import org.switchboard.session.proxy.ProxyInput.Resumed;
import org.switchboard.session.proxy.ProxyInput.RingTimedOut;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipResponse;
import org.switchboard.sip.SipUri;

/**
 * The rules of {@link InviteProxy}, one method per input. Each works on a {@link Turn}: the phase so far and the
 * actions so far, so that rules can chain (a busy callee forwarded to a target looked up) within one step.
 */
final class ProxyCore {
    private ProxyCore() {
    }

    static Step start(Invite invite, ProxyRules rules, Instant now) {
        Turn t = new Turn(new Admitting(invite, Search.begin(false)), rules, now);
        // §22.3: "a proxy server MAY challenge the originator of the request ... using 407 (Proxy Authentication
        // Required)". Callers of our domains prove who they are unless they come from a trusted peer; callers of
        // other domains cannot, and may only reach our users.
        boolean ours = rules.ours(NameAddress.parse(invite.from()).uri());
        if (rules.authenticateCallers() && ours && !invite.trustedSource()) {
            t.actions.add(new ProxyAction.CheckCaller());
        } else {
            t.update(t.search().authenticated(ours || !rules.authenticateCallers()));
            route(t);
        }
        return t.step();
    }

    static Step on(InviteProxy phase, ProxyInput input, ProxyRules rules, Instant now) {
        Turn t = new Turn(phase, rules, now);
        if (input instanceof CallerJudged j) {
            judged(t, j);
        } else if (input instanceof CalleeFound f) {
            found(t, f);
        } else if (input instanceof RegistrarUnreachable) {
            if (t.phase instanceof Admitting || t.phase instanceof LookingUp) {
                reject(t, new ProxyAction.Reject(503, "Service Unavailable",
                        List.<String[]>of(new String[] {"Retry-After", "5"})));
            }
        } else if (input instanceof Provisional p) {
            provisional(t, p.fork(), p.response());
        } else if (input instanceof Answered a) {
            answered(t, a.fork(), a.response());
        } else if (input instanceof Failed f) {
            failed(t, f.fork(), f.response());
        } else if (input instanceof Cancelled) {
            cancelled(t);
        } else if (input instanceof RingTimedOut) {
            ringTimedOut(t);
        } else if (input instanceof Resumed) {
            resumed(t);
        }
        return t.step();
    }

    private static void judged(Turn t, CallerJudged j) {
        if (!(t.phase instanceof Admitting)) {
            return;
        }
        switch (j.verdict().outcome()) {
            case AUTHORISED -> {
                t.update(t.search().authenticated(true));
                route(t);
            }
            case CHALLENGE -> {
                // its ACK ends here; the caller retries with a new INVITE transaction
                t.phase = new Decided(t.invite(), t.search(), 407);
                t.actions.add(new ProxyAction.Challenge(j.verdict().challenges()));
            }
            case FORBIDDEN -> reject(t, new ProxyAction.Reject(403, "Forbidden - caller not authorised"));
            case LIMITED -> reject(t, new ProxyAction.Reject(403, "Forbidden - " + j.verdict().reason()));
        }
    }

    /**
     * §16.5: "the proxy ... determines the target set". Users of our domains are looked up in the registrar; other
     * domains take the configured route for their domain, for authenticated callers only; anything else is refused
     * (we are not an open relay).
     */
    private static void route(Turn t) {
        SipUri ruri = SipUri.parse(t.invite().requestUri());
        if (ruri.isSip() && ruri.user().isPresent() && t.rules.serves(ruri.host())) {
            if (ruri.params().has("gr")) {
                gruu(t, ruri);
                return;
            }
            lookUp(t, new Lookup(ruri.addressOfRecord(), Optional.empty(), 0));
            return;
        }
        Optional<String> route = t.rules.routeFor(ruri.host());
        if (route.isPresent() && t.search().authenticated()) {
            fork(t, List.of(ForkTarget.to(t.invite().requestUri()).through(route)));
            return;
        }
        reject(t, new ProxyAction.Reject(403, "Forbidden - no route to " + ruri.host()));
    }

    /**
     * RFC 5627 §6.1 (request targeting): a Request-URI that is a GRUU of our domain reaches only the contacts
     * registered to its AOR with its instance id (none registered: 480); a URI with {@code gr} that is no valid
     * GRUU of the domain is 404, like any unknown user. Which bindings it reaches is decided on the registrar's
     * answer ({@code Invites.calleeFound}).
     */
    private static void gruu(Turn t, SipUri ruri) {
        Optional<GruuTarget> target = t.rules.gruu(ruri);
        if (target.isEmpty()) {
            reject(t, new ProxyAction.Reject(404, "Not Found"));
            return;
        }
        lookUp(t, new Lookup(target.get().aor(), Optional.empty(), 0, target));
    }

    private static void lookUp(Turn t, Lookup lookup) {
        t.phase = new LookingUp(t.invite(), t.search(), lookup);
        t.actions.add(new ProxyAction.LookUp(lookup.aor(), lookup.diversion(), lookup.depth(), lookup.gruu()));
    }

    /**
     * The callee's devices. §16.6: "the proxy ... MAY process the targets in any order", here by q: "a
     * proxy... SHOULD try the targets in order of q-value, higher first; targets with equal q may be tried in
     * parallel". Forwarding rules apply to the AOR of the Request-URI only (depth 0), once.
     */
    private static void found(Turn t, CalleeFound f) {
        if (!(t.phase instanceof LookingUp)) {
            return; // cancelled, or decided, meanwhile
        }
        if (f.depth() == 0) {
            t.update(t.search().withForwarding(f.forwarding()));
        }
        ForwardingRules rules = t.search().forwarding();
        if (f.status() == LookupResult.Status.UNKNOWN) {
            reject(t, new ProxyAction.Reject(404, "Not Found"));
        } else if (f.depth() == 0 && rules.unconditional().isPresent()) {
            divert(t, rules.unconditional().get(), "unconditional");
        } else if (f.status() != LookupResult.Status.REGISTERED || f.groups().isEmpty()) {
            if (f.depth() == 0 && rules.onUnavailable().isPresent()) {
                divert(t, rules.onUnavailable().get(), "unavailable");
            } else {
                reject(t, new ProxyAction.Reject(480, "Temporarily Unavailable"));
            }
        } else {
            List<List<ForkTarget>> later = new ArrayList<>(t.search().later());
            later.addAll(f.groups().subList(1, f.groups().size()));
            t.update(t.search().withLater(later));
            armRing(t, f.depth() == 0 && rules.onNoAnswer().isPresent()
                    ? Duration.ofSeconds(rules.noAnswerSeconds()) : t.rules.inviteTimeout());
            fork(t, f.groups().get(0));
        }
    }

    /** Call forwarding (RFC 5806): the call goes to {@code target} instead, with a Diversion header saying why. */
    private static void divert(Turn t, String target, String reason) {
        if (t.search().diverted()) {
            return;
        }
        t.update(t.search().divertedNow());
        String diversion = "<" + t.invite().requestUri() + ">;reason=" + reason + ";counter=1";
        SipUri uri = SipUri.parse(target);
        if (uri.isSip() && uri.user().isPresent() && t.rules.serves(uri.host())) {
            lookUp(t, new Lookup(uri.addressOfRecord(), Optional.of(diversion), 1));
        } else {
            fork(t, List.of(ForkTarget.to(target).through(t.rules.routeFor(uri.host())).divertedBecause(diversion)));
        }
    }

    private static void fork(Turn t, List<ForkTarget> targets) {
        Search s = t.search();
        for (ForkTarget target : targets) {
            BranchId id = t.rules.branchFor(t.invite().key(), target.uri(), s.forks().size());
            s = s.with(new Fork(id, target.uri(), 0, false, false));
            t.actions.add(new ProxyAction.StartFork(id, target));
        }
        t.phase = t.phase instanceof Decided || t.phase instanceof Cancelling ? t.phase : new Forking(t.invite(), s);
        t.update(s);
    }

    /**
     * §16.7 step 5: provisional responses other than 100 are forwarded at once. §9.1: a CANCEL "SHOULD NOT be
     * sent" before a provisional response; a fork cancelled before it rang gets its CANCEL now.
     */
    private static void provisional(Turn t, BranchId id, SipResponse response) {
        Optional<Fork> found = t.search().fork(id);
        if (found.isEmpty()) {
            return;
        }
        Fork fork = found.get();
        if (fork.pending() && !fork.provisional()) {
            t.update(t.search().with(fork.rang()));
            if (fork.cancelled() || t.phase instanceof Cancelling) {
                t.actions.add(new ProxyAction.SendCancel(id));
            }
        }
        if (response.status() != 100 && !(t.phase instanceof Decided)) {
            t.actions.add(new ProxyAction.RelayProvisional(response));
        }
    }

    /**
     * §16.7 step 5: "any 2xx responses MUST be forwarded immediately"; step 10: after the first, "the proxy MUST
     * cancel all pending client transactions" (§16.10), and every later 2xx still goes up (RFC 6026 §7.3).
     */
    private static void answered(Turn t, BranchId id, SipResponse response) {
        t.search().fork(id).ifPresent(f -> t.update(t.search().with(f.ended(response.status()))));
        if (!(t.phase instanceof Decided)) {
            stopRing(t);
            cancelPending(t);
            t.phase = new Decided(t.invite(), t.search(), response.status());
        }
        t.actions.add(new ProxyAction.RelayAnswer(id, response));
    }

    /** A fork failed: follow its redirect, stop on 6xx, or once every fork has ended, forward or decide. */
    private static void failed(Turn t, BranchId id, SipResponse response) {
        Optional<Fork> found = t.search().fork(id);
        if (found.isEmpty() || !found.get().pending()) {
            return; // already counted (the fork timed out, then answered after all)
        }
        int status = response.status();
        t.update(t.search().with(found.get().ended(status)).withFinal(Final.of(response)));
        if (t.phase instanceof Decided) {
            return;
        }
        // §16.5: a 3xx's Contacts "MAY be added to the target set" (recursion), up to a limit
        if (status / 100 == 3 && t.rules.followRedirects() && t.search().redirects() < t.rules.maxRedirects()
                && !(t.phase instanceof Cancelling) && !t.invite().inDialog()) {
            List<ForkTarget> targets = response.contacts().stream().map(c -> ForkTarget.to(c.uri().toString())).toList();
            if (!targets.isEmpty()) {
                t.update(t.search().redirected());
                fork(t, targets);
                return;
            }
        }
        ForwardingRules rules = t.search().forwarding();
        boolean mayForward = !(t.phase instanceof Cancelling) && !t.search().diverted();
        // §16.7 step 5: on a 6xx "the proxy ... SHOULD cancel all pending client transactions"; a 600 Busy
        // Everywhere is busy for call forwarding
        if (status >= 600) {
            cancelPending(t);
            if (status == 600 && mayForward && rules.onBusy().isPresent()) {
                divert(t, rules.onBusy().get(), "user-busy");
            } else {
                relay(t, Final.of(response));
            }
            return;
        }
        if (t.search().anyPending() || t.phase instanceof LookingUp) {
            return;
        }
        if (!(t.phase instanceof Cancelling) && !t.search().later().isEmpty()) {
            List<List<ForkTarget>> later = t.search().later();
            t.update(t.search().withLater(later.subList(1, later.size())));
            fork(t, later.get(0));
            return;
        }
        if (t.phase instanceof Cancelling) {
            // §16.10: the forks' 487s answer our CANCELs; the caller's INVITE ends with a 487 of our own
            reject(t, new ProxyAction.Reject(487, "Request Terminated"));
            return;
        }
        Final best = BestFinal.choose(t.search().finals()).orElseThrow();
        if (mayForward && (best.status() == 486 || best.status() == 600) && rules.onBusy().isPresent()) {
            divert(t, rules.onBusy().get(), "user-busy");
        } else if (mayForward && (best.status() == 480 || best.status() == 408) && rules.onUnavailable().isPresent()) {
            divert(t, rules.onUnavailable().get(), "unavailable");
        } else {
            relay(t, best);
        }
    }

    /**
     * §16.10: on a CANCEL the proxy "MUST cancel any pending client transactions"; the INVITE then ends with 487.
     * With nothing pending (a lookup in flight, forks all ended) it ends at once.
     */
    private static void cancelled(Turn t) {
        if (t.phase instanceof Decided || t.phase instanceof Cancelling) {
            return;
        }
        t.update(t.search().withLater(List.of()));
        stopRing(t);
        endSearch(t);
    }

    /**
     * The ring timer: forwarding on no answer, or §16.8 Timer C, where "the proxy MUST ... generate a CANCEL" for
     * every fork that rang.
     */
    private static void ringTimedOut(Turn t) {
        if (t.phase instanceof Decided || t.phase instanceof Cancelling) {
            return;
        }
        t.update(t.search().ringingUntil(0));
        ForwardingRules rules = t.search().forwarding();
        if (rules.onNoAnswer().isPresent() && !t.search().diverted()) {
            cancelPending(t);
            divert(t, rules.onNoAnswer().get(), "no-answer");
            return;
        }
        t.update(t.search().withLater(List.of()));
        endSearch(t);
    }

    private static void endSearch(Turn t) {
        cancelPending(t);
        if (t.search().anyPending()) {
            t.phase = new Cancelling(t.invite(), t.search());
        } else {
            reject(t, new ProxyAction.Reject(487, "Request Terminated"));
        }
    }

    /** On the node the call was handed over to: what was being asked is asked again, the ring timer re-armed. */
    private static void resumed(Turn t) {
        if (t.phase instanceof Admitting) {
            t.actions.add(new ProxyAction.CheckCaller());
        } else if (t.phase instanceof LookingUp l) {
            t.actions.add(new ProxyAction.LookUp(l.lookup().aor(), l.lookup().diversion(), l.lookup().depth(),
                    l.lookup().gruu()));
        }
        long ringUntil = t.search().ringUntilMillis();
        if (ringUntil > 0 && !(t.phase instanceof Decided)) {
            t.actions.add(new ArmRingTimer(Duration.ofMillis(Math.max(0, ringUntil - t.now))));
        }
    }

    /** Marks every fork still ringing cancelled; one that rang gets its CANCEL now, the others when they ring. */
    private static void cancelPending(Turn t) {
        Search s = t.search();
        for (Fork f : s.forks()) {
            if (f.pending() && !f.cancelled()) {
                s = s.with(f.withCancel());
                if (f.provisional()) {
                    t.actions.add(new ProxyAction.SendCancel(f.id()));
                }
            }
        }
        t.update(s);
    }

    private static void relay(Turn t, Final response) {
        int status = BestFinal.relayedStatus(response.status());
        if (status != response.status()) {
            reject(t, new ProxyAction.Reject(status, BestFinal.reasonOf(status)));
            return;
        }
        stopRing(t);
        t.phase = new Decided(t.invite(), t.search(), status);
        t.actions.add(new ProxyAction.RelayFinal(response));
    }

    private static void reject(Turn t, ProxyAction.Reject reject) {
        stopRing(t);
        t.phase = new Decided(t.invite(), t.search(), reject.status());
        t.actions.add(reject);
    }

    private static void armRing(Turn t, Duration after) {
        t.update(t.search().ringingUntil(t.now + after.toMillis()));
        t.actions.add(new ArmRingTimer(after));
    }

    private static void stopRing(Turn t) {
        if (t.search().ringUntilMillis() > 0) {
            t.update(t.search().ringingUntil(0));
            t.actions.add(new StopRingTimer());
        }
    }
}
