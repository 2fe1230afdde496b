package org.switchboard.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.registrar.api.AccountCommand;
import org.switchboard.registrar.api.CallLimits;
import org.switchboard.registrar.api.ContactBinding;
import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.SipTransport;

import akka.pattern.StatusReply;

/** What each operator change decides, from the state alone: the events to persist and the answer. */
class AccountChangesTest {
    private static final String AOR = "sip:alice@example.com";
    private static final Account ALICE = new Account("alice", "example.com", "md5", "sha", true);

    private static ContactBinding binding(String contact) {
        return new ContactBinding(contact, 1.0, 1_000_000, 0, "call", 1, Optional.empty(), 0, List.of(),
                SipTransport.UDP, new Peer("127.0.0.2", 5060), Optional.empty(), true);
    }

    private static RegistrationState.Provisioned alice(Map<String, ContactBinding> bindings) {
        return new RegistrationState.Provisioned(ALICE, bindings, ForwardingRules.NONE, CallLimits.DEFAULTS, Map.of());
    }

    private static AccountChanges.Decision decide(RegistrationState state, Object command) {
        return AccountChanges.decide(AOR, state, (org.switchboard.registrar.api.RegistrationCommand) command, 42);
    }

    @Test
    void everyChangeOfAnAccountThatDoesNotExistIsRefusedAndPersistsNothing() {
        AccountChanges.Decision d = decide(new RegistrationState.Unprovisioned(), new AccountCommand.Disable(null));
        assertTrue(d.events().isEmpty());
        assertTrue(d.answer().isError());
        assertEquals("no account " + AOR, d.answer().getError().getMessage());
    }

    @Test
    void aChangeToWhatIsAlreadySoPersistsNothingAndIsAcknowledged() {
        RegistrationState.Provisioned s = alice(Map.of());
        for (Object c : List.of(new AccountCommand.Enable(null), new AccountCommand.SetForwarding(ForwardingRules.NONE, null),
                new AccountCommand.SetCallLimits(CallLimits.DEFAULTS, null), new AccountCommand.RemoveBinding("*", null))) {
            AccountChanges.Decision d = decide(s, c);
            assertEquals(List.of(), d.events(), c.toString());
            assertEquals(StatusReply.ack(), d.answer(), c.toString());
        }
    }

    @Test
    void aRealChangeIsOneEventThenAcknowledged() {
        RegistrationState.Provisioned s = alice(Map.of());
        assertEquals(List.of(new RegistrationEvent.AccountEnabledChanged(false)),
                decide(s, new AccountCommand.Disable(null)).events());
        assertEquals(List.of(new RegistrationEvent.AccountDeleted(42)), decide(s, new AccountCommand.Delete(null)).events());
        assertEquals(StatusReply.ack(), decide(s, new AccountCommand.Delete(null)).answer());
    }

    @Test
    void bindingsAreRemovedByKeyByContactOrAllAndAnUnknownOneIsAnError() {
        RegistrationState.Provisioned s = alice(Map.of(
                "sip:a@127.0.0.2", binding("sip:a@127.0.0.2"),
                "<urn:uuid:1>", binding("sip:b@127.0.0.3")));
        assertEquals(List.of(new RegistrationEvent.BindingRemoved("<urn:uuid:1>", "removed by operator")),
                decide(s, new AccountCommand.RemoveBinding("sip:b@127.0.0.3", null)).events());
        assertEquals(List.of(new RegistrationEvent.BindingRemoved("<urn:uuid:1>", "removed by operator")),
                decide(s, new AccountCommand.RemoveBinding("<urn:uuid:1>", null)).events());
        assertEquals(2, decide(s, new AccountCommand.RemoveBinding("*", null)).events().size());
        AccountChanges.Decision unknown = decide(s, new AccountCommand.RemoveBinding("sip:x@127.0.0.9", null));
        assertTrue(unknown.events().isEmpty());
        assertEquals("no binding sip:x@127.0.0.9 of " + AOR, unknown.answer().getError().getMessage());
    }
}
