package org.switchboard.session;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.switchboard.session.proxy.InviteKey;
import org.switchboard.session.proxy.InviteProxy;
import org.switchboard.sip.HeaderName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Final responses to initial INVITEs that wait on a journal write: a 2xx goes up only once {@code CallAnswered} is
 * written, a failure once {@code CallFailed} is. When the write fails, the entity restarts (its supervisor) and the
 * response is never sent; the caller gets {@code 503} with {@code Retry-After} instead (RFC 3261 §21.5.4), so it
 * knows the call did not happen and when to try again. The callee sends its 2xx again until it is acknowledged:
 * those are not relayed any more for a refused INVITE — a caller must never see a 200 after our 503 — and the
 * callee, never acknowledged, ends its side with a BYE after 64*T1 (RFC 3261 §13.3.1.4).
 *
 * <p>Working memory of the entity, like the transactions: the {@code Call} instance outlives a restart of its
 * persistence (the supervisor restarts only what is inside it), so the refused INVITEs are still known after it.
 */
final class UnwrittenAnswers {
    private static final Logger log = LoggerFactory.getLogger(UnwrittenAnswers.class);

    private final Set<InviteKey> awaiting = new HashSet<>();
    private final Set<InviteKey> refused = new HashSet<>();

    /** The final response of this INVITE waits for the event being persisted now. */
    void awaiting(ProxiedInvite tx) {
        awaiting.add(tx.key());
    }

    /** The event is written: the response goes up as usual. */
    void written(ProxiedInvite tx) {
        awaiting.remove(tx.key());
    }

    /** Whether this INVITE was answered 503 because its answer could not be written. */
    boolean refused(ProxiedInvite tx) {
        return refused.contains(tx.key());
    }

    /**
     * The journal write failed (the entity is about to restart, or stops): every INVITE still waiting for it gets 503
     * with Retry-After through its server transaction, which replays it to the INVITE's retransmissions.
     */
    void refuse(Map<InviteKey, ProxiedInvite> invites, CallerTransactions callers, String callId,
                Supplier<String> toTag, int retryAfterSeconds) {
        for (InviteKey key : awaiting) {
            Optional.ofNullable(invites.get(key)).ifPresent(tx -> {
                byte[] unavailable = tx.request.response(503, "Service Unavailable - call state could not be stored")
                        .toTag(toTag.get()).header(HeaderName.RETRY_AFTER, Integer.toString(Math.max(1, retryAfterSeconds))).toBytes();
                // replaces the status decided before the write: the caller's ACK now belongs to our 503 (hop by hop)
                tx.proxy = new InviteProxy.Decided(tx.proxy.invite(), tx.proxy.search(), 503);
                callers.respond(tx, unavailable, 503);
                refused.add(key);
                log.warn("call {}: the journal did not store the call's answer; the caller gets 503", callId);
            });
        }
        awaiting.clear();
    }

    /** The refused INVITEs still in memory; those gone are forgotten here too. */
    Set<InviteKey> refusedStillIn(Map<InviteKey, ProxiedInvite> invites) {
        refused.retainAll(invites.keySet());
        return Set.copyOf(refused);
    }
}
