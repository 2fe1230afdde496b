package org.switchboard.session.proxy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.switchboard.session.proxy.InviteProxy.Admitting;
import org.switchboard.session.proxy.InviteProxy.Cancelling;
import org.switchboard.session.proxy.InviteProxy.Decided;
import org.switchboard.session.proxy.InviteProxy.Forking;
import org.switchboard.session.proxy.InviteProxy.LookingUp;

/**
 * The working copy of one step of {@link ProxyCore}: the phase so far and the actions so far, so that rules can
 * chain within a step. The phase records themselves stay immutable.
 */
final class Turn {
    final ProxyRules rules;
    final long now;
    final List<ProxyAction> actions = new ArrayList<>();
    InviteProxy phase;

    Turn(InviteProxy phase, ProxyRules rules, Instant now) {
        this.phase = phase;
        this.rules = rules;
        this.now = now.toEpochMilli();
    }

    Invite invite() {
        return phase.invite();
    }

    Search search() {
        return phase.search();
    }

    /** The same phase with the search moved on. */
    void update(Search s) {
        if (phase instanceof Admitting a) {
            phase = new Admitting(a.invite(), s);
        } else if (phase instanceof LookingUp l) {
            phase = new LookingUp(l.invite(), s, l.lookup());
        } else if (phase instanceof Forking f) {
            phase = new Forking(f.invite(), s);
        } else if (phase instanceof Cancelling c) {
            phase = new Cancelling(c.invite(), s);
        } else if (phase instanceof Decided d) {
            phase = new Decided(d.invite(), s, d.status());
        }
    }

    Step step() {
        return new Step(phase, actions);
    }
}
