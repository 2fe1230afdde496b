package org.switchboard.sip.transaction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.switchboard.sip.transaction.Action.CancelTimer;
import org.switchboard.sip.transaction.Action.StartTimer;
import org.switchboard.sip.transaction.Action.Terminate;
import org.switchboard.sip.transaction.TransactionEvent.ClientEvent;
import org.switchboard.sip.transaction.TransactionEvent.ServerEvent;
import org.switchboard.sip.transaction.TransactionEvent.TimerFired;

/**
 * Runs a machine as its executor would, over a {@link FakeClock}: keeps the pending timers the actions ask for,
 * fires them in deadline order when time advances, and logs every action with the time it was asked for.
 */
final class Sim<M, E> {
    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    interface Step<M, E> {
        Transition<M> apply(M machine, E event, Instant now);
    }

    /** One action and when, relative to the start, it was asked for. */
    record Done(Duration at, Action action) {
    }

    private final FakeClock clock = new FakeClock(T0);
    private final Step<M, E> step;
    private final Function<TimerName, E> timerEvent;
    private final Map<TimerName, Instant> pending = new EnumMap<>(TimerName.class);
    private final List<Done> log = new ArrayList<>();
    private M state;
    private boolean terminated;

    private Sim(Function<Instant, Transition<M>> start, Step<M, E> step, Function<TimerName, E> timerEvent) {
        this.step = step;
        this.timerEvent = timerEvent;
        Transition<M> first = start.apply(clock.instant());
        this.state = first.next();
        perform(first);
    }

    static Sim<InviteClientTransaction, ClientEvent> inviteClient(TransactionTimers timers, boolean reliable) {
        return new Sim<>(now -> InviteClientTransaction.start(timers, reliable, now),
                InviteClientTransaction::on, TimerFired::new);
    }

    static Sim<NonInviteClientTransaction, ClientEvent> nonInviteClient(TransactionTimers timers, boolean reliable) {
        return new Sim<>(now -> NonInviteClientTransaction.start(timers, reliable, now),
                NonInviteClientTransaction::on, TimerFired::new);
    }

    static Sim<InviteServerTransaction, ServerEvent> inviteServer(TransactionTimers timers, boolean reliable) {
        return new Sim<>(now -> InviteServerTransaction.start(timers, reliable, now),
                InviteServerTransaction::on, TimerFired::new);
    }

    static Sim<NonInviteServerTransaction, ServerEvent> nonInviteServer(TransactionTimers timers, boolean reliable) {
        return new Sim<>(now -> NonInviteServerTransaction.start(timers, reliable, now),
                NonInviteServerTransaction::on, TimerFired::new);
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    static List<Duration> msList(long... millis) {
        return Arrays.stream(millis).mapToObj(Duration::ofMillis).toList();
    }

    M state() {
        return state;
    }

    boolean terminated() {
        return terminated;
    }

    /** Elapsed time since the start. */
    Duration elapsed() {
        return Duration.between(T0, clock.instant());
    }

    /** The timers pending now, by deadline relative to the start. */
    Map<TimerName, Duration> pending() {
        Map<TimerName, Duration> out = new EnumMap<>(TimerName.class);
        pending.forEach((name, deadline) -> out.put(name, Duration.between(T0, deadline)));
        return out;
    }

    /** Delivers an event now and returns the transition it caused. */
    Transition<M> on(E event) {
        Transition<M> t = step.apply(state, event, clock.instant());
        state = t.next();
        perform(t);
        return t;
    }

    /** Moves time to {@code at} after the start, firing every timer due by then in deadline order. */
    void runUntil(Duration at) {
        Instant end = T0.plus(at);
        while (true) {
            Optional<Map.Entry<TimerName, Instant>> due = pending.entrySet().stream()
                    .filter(e -> !e.getValue().isAfter(end))
                    .min(Map.Entry.<TimerName, Instant>comparingByValue()
                            .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())));
            if (due.isEmpty()) {
                break;
            }
            TimerName name = due.get().getKey();
            Instant deadline = due.get().getValue();
            pending.remove(name);
            clock.set(deadline);
            on(timerEvent.apply(name));
        }
        clock.set(end);
    }

    /** When each action of this kind was asked for. */
    List<Duration> times(Class<? extends Action> kind) {
        return log.stream().filter(d -> kind.isInstance(d.action())).map(Done::at).toList();
    }

    /** Every action of this kind, in order. */
    <A extends Action> List<A> all(Class<A> kind) {
        return log.stream().map(Done::action).filter(kind::isInstance).map(kind::cast).toList();
    }

    List<Done> log() {
        return log;
    }

    private void perform(Transition<M> t) {
        if (terminated && !t.actions().isEmpty()) {
            throw new AssertionError("actions after Terminate: " + t.actions());
        }
        boolean entersTerminal = !terminated && t.next().getClass().getSimpleName().equals("Terminated");
        if (t.terminates() != entersTerminal) {
            throw new AssertionError("Terminate action and Terminated state disagree: " + t);
        }
        List<Action> actions = t.actions();
        for (int i = 0; i < actions.size(); i++) {
            Action a = actions.get(i);
            log.add(new Done(elapsed(), a));
            if (a instanceof StartTimer s) {
                if (s.deadline().isBefore(clock.instant())) {
                    throw new AssertionError("timer in the past: " + s);
                }
                pending.put(s.timer(), s.deadline());
            } else if (a instanceof CancelTimer c) {
                pending.remove(c.timer());
            } else if (a instanceof Terminate) {
                if (i != actions.size() - 1) {
                    throw new AssertionError("Terminate is not the last action: " + actions);
                }
                pending.clear();
                terminated = true;
            }
        }
    }
}
