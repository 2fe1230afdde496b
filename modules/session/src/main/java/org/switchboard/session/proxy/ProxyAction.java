package org.switchboard.session.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.switchboard.registrar.api.GruuTarget;
import org.switchboard.sip.SipResponse;

/** What the executor of the proxy core does: ask, send, relay, arm a timer. */
public sealed interface ProxyAction {
    /** Ask the registrar whether the caller's credentials hold. */
    record CheckCaller() implements ProxyAction {
    }

    /** Ask the registrar for the devices and forwarding rules of an AOR (of one device of it, for a GRUU). */
    record LookUp(String aor, Optional<String> diversion, int depth, Optional<GruuTarget> gruu) implements ProxyAction {
        public LookUp(String aor, Optional<String> diversion, int depth) {
            this(aor, diversion, depth, Optional.empty());
        }
    }

    /** Send the INVITE to a new fork, under a new client transaction with this branch. */
    record StartFork(BranchId id, ForkTarget target) implements ProxyAction {
    }

    /** Send a CANCEL to a fork that has rung. */
    record SendCancel(BranchId fork) implements ProxyAction {
    }

    record ArmRingTimer(Duration after) implements ProxyAction {
    }

    record StopRingTimer() implements ProxyAction {
    }

    /** Send a fork's provisional response to the caller. */
    record RelayProvisional(SipResponse response) implements ProxyAction {
    }

    /** Send a 2xx to the caller; the first of a call is persisted (the dialog) before it goes. */
    record RelayAnswer(BranchId fork, SipResponse response) implements ProxyAction {
    }

    /** The final response is decided: a fork's, relayed to the caller; the failed call is recorded. */
    record RelayFinal(Final response) implements ProxyAction {
    }

    /** The final response is decided: one of the proxy's own, with these extra headers (name, value). */
    record Reject(int status, String reason, List<String[]> headers) implements ProxyAction {
        public Reject {
            headers = List.copyOf(headers);
        }

        Reject(int status, String reason) {
            this(status, reason, List.of());
        }
    }

    /** The caller is asked for credentials (407): not a failed call, it retries with a new INVITE. */
    record Challenge(List<String> challenges) implements ProxyAction {
        public Challenge {
            challenges = List.copyOf(challenges);
        }
    }
}
