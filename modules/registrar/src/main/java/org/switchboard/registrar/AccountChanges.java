package org.switchboard.registrar;

import java.util.List;

import org.switchboard.registrar.api.AccountCommand;
import org.switchboard.registrar.api.RegistrationCommand;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;

/**
 * What an operator's change to an account (the admin API's enable, disable, delete, forwarding, call limits, removal
 * of bindings) does to a Registration: the events to persist and the answer, decided from the state alone. The entity
 * persists the events, then answers; a change that changes nothing persists nothing and is still acknowledged.
 */
final class AccountChanges {
    private AccountChanges() {
    }

    /** The events of one change (none: answer at once) and the operator's answer. */
    record Decision(List<RegistrationEvent> events, StatusReply<Done> answer) {
        Decision {
            events = List.copyOf(events);
        }

        private static Decision answer(StatusReply<Done> answer) {
            return new Decision(List.of(), answer);
        }

        private static Decision persist(RegistrationEvent event) {
            return new Decision(List.of(event), StatusReply.ack());
        }
    }

    /** The commands decided here: the ones answered with {@code StatusReply<Done>}. */
    static boolean decides(RegistrationCommand command) {
        return command instanceof AccountCommand.Enable || command instanceof AccountCommand.Disable
                || command instanceof AccountCommand.Delete || command instanceof AccountCommand.SetForwarding
                || command instanceof AccountCommand.SetCallLimits || command instanceof AccountCommand.RemoveBinding;
    }

    /** Where the answer of a command that {@link #decides} goes. */
    static ActorRef<StatusReply<Done>> replyTo(RegistrationCommand command) {
        if (command instanceof AccountCommand.Enable c) {
            return c.replyTo();
        } else if (command instanceof AccountCommand.Disable c) {
            return c.replyTo();
        } else if (command instanceof AccountCommand.Delete c) {
            return c.replyTo();
        } else if (command instanceof AccountCommand.SetForwarding c) {
            return c.replyTo();
        } else if (command instanceof AccountCommand.SetCallLimits c) {
            return c.replyTo();
        } else if (command instanceof AccountCommand.RemoveBinding c) {
            return c.replyTo();
        }
        throw new IllegalArgumentException("not an account change: " + command.getClass().getName());
    }

    /** @param command one that {@link #decides} */
    static Decision decide(String aor, RegistrationState state, RegistrationCommand command, long nowMillis) {
        if (!(state instanceof RegistrationState.Provisioned p)) {
            return Decision.answer(StatusReply.error("no account " + aor));
        }
        if (command instanceof AccountCommand.Enable) {
            return p.account().enabled() ? Decision.answer(StatusReply.ack())
                    : Decision.persist(new RegistrationEvent.AccountEnabledChanged(true));
        } else if (command instanceof AccountCommand.Disable) {
            return !p.account().enabled() ? Decision.answer(StatusReply.ack())
                    : Decision.persist(new RegistrationEvent.AccountEnabledChanged(false));
        } else if (command instanceof AccountCommand.Delete) {
            return Decision.persist(new RegistrationEvent.AccountDeleted(nowMillis));
        } else if (command instanceof AccountCommand.SetForwarding f) {
            return p.forwarding().equals(f.rules()) ? Decision.answer(StatusReply.ack())
                    : Decision.persist(new RegistrationEvent.ForwardingSet(f.rules()));
        } else if (command instanceof AccountCommand.SetCallLimits l) {
            return p.callLimits().equals(l.limits()) ? Decision.answer(StatusReply.ack())
                    : Decision.persist(new RegistrationEvent.CallLimitsSet(l.limits()));
        } else if (command instanceof AccountCommand.RemoveBinding r) {
            return removeBindings(aor, p, r.contactOrInstance());
        }
        throw new IllegalArgumentException("not an account change: " + command.getClass().getName());
    }

    /** By binding key, contact URI or instance id; {@code *} removes them all (and none is not an error then). */
    private static Decision removeBindings(String aor, RegistrationState.Provisioned p, String contactOrInstance) {
        boolean all = contactOrInstance.equals("*");
        List<RegistrationEvent> events = p.bindings().entrySet().stream()
                .filter(e -> all || e.getKey().equals(contactOrInstance) || e.getValue().contact().equals(contactOrInstance))
                .<RegistrationEvent>map(e -> new RegistrationEvent.BindingRemoved(e.getKey(), "removed by operator"))
                .toList();
        if (events.isEmpty()) {
            return Decision.answer(all ? StatusReply.ack() : StatusReply.error("no binding " + contactOrInstance + " of " + aor));
        }
        return new Decision(events, StatusReply.ack());
    }
}
