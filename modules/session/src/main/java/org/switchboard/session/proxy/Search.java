package org.switchboard.session.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.switchboard.registrar.api.ForwardingRules;

/**
 * How far the search for the callee got (RFC 3261 §16.6-16.7): the forks started, the finals that came, the
 * targets still to try, and the forwarding that applies.
 *
 * @param authenticated  the caller proved who it is, or needed not: it may use the configured routes
 * @param diverted       the call was forwarded once already: no rule forwards it again
 * @param redirects      3xx responses followed so far
 * @param later          lower-q groups of targets, tried when every fork of the current group failed
 * @param ringUntilMillis when the ring timer runs out (epoch ms); 0 while none runs
 */
public record Search(boolean authenticated, ForwardingRules forwarding, boolean diverted, int redirects,
                     List<Fork> forks, List<Final> finals, List<List<ForkTarget>> later, long ringUntilMillis) {
    public Search {
        forks = List.copyOf(forks);
        finals = List.copyOf(finals);
        later = later.stream().map(List::copyOf).toList();
    }

    static Search begin(boolean authenticated) {
        return new Search(authenticated, ForwardingRules.NONE, false, 0, List.of(), List.of(), List.of(), 0);
    }

    public Optional<Fork> fork(BranchId id) {
        return forks.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    boolean anyPending() {
        return forks.stream().anyMatch(Fork::pending);
    }

    Search with(Fork fork) {
        List<Fork> next = new ArrayList<>(forks);
        int i = next.stream().map(Fork::id).toList().indexOf(fork.id());
        if (i < 0) {
            next.add(fork);
        } else {
            next.set(i, fork);
        }
        return new Search(authenticated, forwarding, diverted, redirects, next, finals, later, ringUntilMillis);
    }

    Search withFinal(Final f) {
        List<Final> next = new ArrayList<>(finals);
        next.add(f);
        return new Search(authenticated, forwarding, diverted, redirects, forks, next, later, ringUntilMillis);
    }

    Search withLater(List<List<ForkTarget>> groups) {
        return new Search(authenticated, forwarding, diverted, redirects, forks, finals, groups, ringUntilMillis);
    }

    Search withForwarding(ForwardingRules rules) {
        return new Search(authenticated, rules, diverted, redirects, forks, finals, later, ringUntilMillis);
    }

    Search divertedNow() {
        return new Search(authenticated, forwarding, true, redirects, forks, finals, List.of(), ringUntilMillis);
    }

    Search redirected() {
        return new Search(authenticated, forwarding, diverted, redirects + 1, forks, finals, later, ringUntilMillis);
    }

    Search ringingUntil(long millis) {
        return new Search(authenticated, forwarding, diverted, redirects, forks, finals, later, millis);
    }

    Search authenticated(boolean proven) {
        return new Search(proven, forwarding, diverted, redirects, forks, finals, later, ringUntilMillis);
    }
}
