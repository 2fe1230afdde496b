package org.switchboard.registrar;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.registrar.api.CallLimits;
import org.switchboard.registrar.api.CheckCredentials;
import org.switchboard.registrar.api.CredentialsVerdict;

/**
 * The answer to a caller's {@link CheckCredentials}: its Proxy-Authorization checked like a REGISTER's (an AOR
 * without account answered like a wrong password), then, once authenticated, the account's call limits.
 */
final class CallerCheck {
    private static final Logger log = LoggerFactory.getLogger(CallerCheck.class);

    private CallerCheck() {
    }

    static CredentialsVerdict verdict(String aor, RegistrationState state, CheckCredentials cmd, EntityAuth auth,
                                      CallAdmission admission, RegistrarLimits limits, long now) {
        Optional<Account> account = state instanceof RegistrationState.Provisioned p ? Optional.of(p.account())
                : Optional.empty();
        DigestCheck.Result result = auth.check(cmd.method(), cmd.requestUri(), cmd.proxyAuthorization(), account, now);
        if (result instanceof DigestCheck.Challenge c) {
            return new CredentialsVerdict(CredentialsVerdict.Outcome.CHALLENGE,
                    c.challenges().stream().map(ch -> ch.headerValue()).toList(), "");
        }
        if (result instanceof DigestCheck.Authorised && state instanceof RegistrationState.Provisioned p
                && p.account().enabled()) {
            // only calls count against the call limits: a MESSAGE, SUBSCRIBE or OPTIONS is authenticated, not admitted
            return cmd.method().equals("INVITE") ? admit(aor, p.callLimits(), cmd.callId(), admission, limits, now)
                    : CredentialsVerdict.of(CredentialsVerdict.Outcome.AUTHORISED);
        }
        if (result instanceof DigestCheck.Failed) {
            auth.failed(cmd.source(), cmd.transport(), now);
            RegistrationLog.authenticationFailed(cmd.method(), cmd.source());
        }
        return CredentialsVerdict.of(CredentialsVerdict.Outcome.FORBIDDEN);
    }

    private static CredentialsVerdict admit(String aor, CallLimits own, String callId, CallAdmission admission,
                                            RegistrarLimits limits, long now) {
        int concurrent = own.maxConcurrent().orElse(limits.maxConcurrentCalls());
        int perMinute = own.maxPerMinute().orElse(limits.maxCallsPerMinute());
        Optional<String> refused = admission.admit(callId, concurrent, perMinute, now);
        if (refused.isEmpty()) {
            return CredentialsVerdict.of(CredentialsVerdict.Outcome.AUTHORISED);
        }
        log.warn("call {} from {} refused: {} ({} going, {} in the last minute; limits {} and {} a minute, 0 = none)",
                callId, aor, refused.get(), admission.concurrent(), admission.lastMinute(), concurrent, perMinute);
        return new CredentialsVerdict(CredentialsVerdict.Outcome.LIMITED, List.of(), refused.get());
    }
}
