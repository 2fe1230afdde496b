package org.switchboard.session.proxy;

import java.util.List;
import java.util.Optional;

/**
 * RFC 3261 §16.7 step 6: "the proxy MUST choose from the 6xx class responses if any exist in the context. If no
 * 6xx class responses are present, the proxy SHOULD choose from the lowest response class stored in the response
 * context." The first received wins within a class. "If a 503 (Service Unavailable) response is chosen ... the
 * proxy SHOULD generate a 500 (Server Error) response and forward that"; a 430 Flow Failed becomes 480 (RFC 5626
 * §5.3: the flow is this cluster's business; the caller only learns the callee cannot be reached now).
 */
final class BestFinal {
    private BestFinal() {
    }

    static Optional<Final> choose(List<Final> finals) {
        Optional<Final> global = finals.stream().filter(r -> r.status() >= 600).findFirst();
        if (global.isPresent()) {
            return global;
        }
        Final best = null;
        for (Final r : finals) {
            if (best == null || r.status() / 100 < best.status() / 100) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    static int relayedStatus(int status) {
        return switch (status) {
            case 503 -> 500;
            case 430 -> 480;
            default -> status;
        };
    }

    static String reasonOf(int relayed) {
        return relayed == 480 ? "Temporarily Unavailable" : "Server Internal Error";
    }
}
