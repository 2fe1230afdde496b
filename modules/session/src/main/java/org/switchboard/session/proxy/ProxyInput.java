package org.switchboard.session.proxy;

import java.util.List;

import org.switchboard.registrar.api.CredentialsVerdict;
import org.switchboard.registrar.api.ForwardingRules;
import org.switchboard.registrar.api.LookupResult;
import org.switchboard.sip.SipResponse;

/** What reaches the proxy core of one INVITE: the registrar's answers, the forks' responses, the caller, time. */
public sealed interface ProxyInput {
    /** The registrar judged the caller's credentials. */
    record CallerJudged(CredentialsVerdict verdict) implements ProxyInput {
    }

    /**
     * The registrar answered a lookup: the callee's devices as groups of equal q, highest first, ready to fork to.
     *
     * @param depth 0 for the Request-URI's AOR, 1 for a forwarding target's
     */
    record CalleeFound(LookupResult.Status status, List<List<ForkTarget>> groups, ForwardingRules forwarding,
                       int depth) implements ProxyInput {
        public CalleeFound {
            groups = groups.stream().map(List::copyOf).toList();
        }
    }

    /** The registrar could not be asked (every attempt failed). */
    record RegistrarUnreachable() implements ProxyInput {
    }

    /** A fork answered 1xx. */
    record Provisional(BranchId fork, SipResponse response) implements ProxyInput {
    }

    /** A fork answered 2xx. */
    record Answered(BranchId fork, SipResponse response) implements ProxyInput {
    }

    /** A fork ended with a non-2xx final, or its transaction timed out (a 408 of the executor's making). */
    record Failed(BranchId fork, SipResponse response) implements ProxyInput {
    }

    /** The caller sent a CANCEL for the INVITE. */
    record Cancelled() implements ProxyInput {
    }

    /** The ring timer ran out (no-answer forwarding, or Timer C). */
    record RingTimedOut() implements ProxyInput {
    }

    /** The INVITE was handed over from another node: ask again what was being asked, re-arm what ran. */
    record Resumed() implements ProxyInput {
    }
}
