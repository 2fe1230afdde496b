package org.switchboard.session;

import java.util.List;
import java.util.Optional;

import org.switchboard.sip.SipResponse;

/**
 * The response a proxy relays when no branch answered 2xx (RFC 3261 §16.7 step 6): a 6xx wins; otherwise the
 * lowest class among 3xx-5xx, the first received within it; a 503 is relayed as 500 (a branch's overload is not
 * the proxy's), and a 430 Flow Failed as 480 (RFC 5626 §5.3: the flow is this cluster's business; the caller
 * only learns that the callee cannot be reached now).
 */
final class BestResponse {
    private BestResponse() {
    }

    static Optional<SipResponse> choose(List<SipResponse> finals) {
        Optional<SipResponse> global = finals.stream().filter(r -> r.status() >= 600).findFirst();
        if (global.isPresent()) {
            return global;
        }
        SipResponse best = null;
        for (SipResponse r : finals) {
            if (best == null || r.status() / 100 < best.status() / 100) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The status to relay for a chosen response (§16.7: 503 becomes 500; 430 becomes 480). */
    static int relayedStatus(SipResponse r) {
        return switch (r.status()) {
            case 503 -> 500;
            case 430 -> 480;
            default -> r.status();
        };
    }

    /** The reason phrase of a status {@link #relayedStatus} turned a response into. */
    static String reasonOf(int relayed) {
        return relayed == 480 ? "Temporarily Unavailable" : "Server Internal Error";
    }
}
