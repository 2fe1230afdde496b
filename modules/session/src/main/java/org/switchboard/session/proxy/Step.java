package org.switchboard.session.proxy;

import java.util.List;

/** What an input did to an INVITE's proxying: the phase it is in now, and what the executor carries out, in order. */
public record Step(InviteProxy next, List<ProxyAction> actions) {
    public Step {
        actions = List.copyOf(actions);
    }
}
