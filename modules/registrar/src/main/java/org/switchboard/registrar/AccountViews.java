package org.switchboard.registrar;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.switchboard.registrar.api.AccountView;
import org.switchboard.registrar.api.ContactBinding;

/** The operator's view of a provisioned AOR. */
final class AccountViews {
    private AccountViews() {
    }

    static AccountView of(RegistrationState.Provisioned state, Collection<ContactBinding> bindings) {
        Account a = state.account();
        return new AccountView(Optional.of(new AccountView.Details(a.username(), a.realm(), a.ha1Md5(), a.ha1Sha256(),
                a.enabled(), state.forwarding(), state.callLimits())),
                RegistrationState.Provisioned.ordered(List.copyOf(bindings)));
    }
}
