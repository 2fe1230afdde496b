package org.switchboard.sip.transaction;

import java.util.List;
import java.util.Objects;

/** The result of one event: the state to continue in and the actions to perform, in order. */
public record Transition<S>(S next, List<Action> actions) {
    public Transition {
        Objects.requireNonNull(next, "next");
        actions = List.copyOf(actions);
    }

    /** Whether the transaction ends with this transition. */
    public boolean terminates() {
        return actions.contains(new Action.Terminate());
    }

    static <S> Transition<S> of(S next, Action... actions) {
        return new Transition<>(next, List.of(actions));
    }

    /** The event is absorbed: same state, nothing to do. */
    static <S> Transition<S> stay(S state) {
        return new Transition<>(state, List.of());
    }
}
