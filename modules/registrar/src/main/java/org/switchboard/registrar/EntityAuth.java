package org.switchboard.registrar;

import java.util.List;
import java.util.Optional;

import org.switchboard.sip.auth.Digest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.transport.api.AuthFailed;
import org.switchboard.transport.api.Peer;
import org.switchboard.transport.api.TransportCommand;

import akka.actor.typed.ActorRef;

/**
 * What one incarnation of a Registration entity knows about digest authentication, in memory: its incarnation id
 * (in every nonce it issues, see {@link Nonces}), the nonce-counts it has accepted, and its recent failures. The
 * same entity issues and checks the nonces of its AOR, for REGISTER (401) and for calls (407), so the counts are
 * complete for every nonce it will accept; when it stops they go, and so does the acceptance of its nonces.
 */
final class EntityAuth {
    private static final Logger log = LoggerFactory.getLogger(EntityAuth.class);

    private final String aor;
    private final RegistrarSettings settings;
    private final Nonces nonces;
    private final String incarnation = Nonces.newIncarnation();
    private final NonceCounts counts;
    private final FailureWindow failures;

    EntityAuth(String aor, RegistrarSettings settings, Nonces nonces) {
        this.aor = aor;
        this.settings = settings;
        this.nonces = nonces;
        this.counts = new NonceCounts(settings.nonceLifetimeMillis());
        this.failures = new FailureWindow(settings.limits().failureWindowMillis(), settings.limits().aorMaxFailures());
    }

    /** @param account the AOR's account; none for a user we do not have, who is answered the same way */
    DigestCheck.Result check(String method, String requestUri, List<String> credentials, Optional<Account> account,
                             long nowMillis) {
        DigestCheck.Subject subject = DigestCheck.Subject.of(aor, account);
        return DigestCheck.check(method, requestUri, credentials, subject, nonces, incarnation, counts,
                offered(settings.digest().offeredFor(subject.realm()), account), nowMillis);
    }

    /**
     * An account imported with its MD5 digest only (e.g. from Kamailio's {@code subscriber} table) cannot answer a
     * SHA-256 challenge: it is offered the rest of the policy, or the policy as is when nothing would be left.
     */
    static List<Digest.Algorithm> offered(List<Digest.Algorithm> policy, Optional<Account> account) {
        if (account.isEmpty() || !account.get().ha1Sha256().isEmpty()) {
            return policy;
        }
        List<Digest.Algorithm> usable = policy.stream().filter(a -> a != Digest.Algorithm.SHA_256).toList();
        return usable.isEmpty() ? policy : usable;
    }

    /**
     * Counts a failure and tells the transport node that received the request, which bans sources that guess
     * (switchboard.security, edge side). The AOR passing its own limit is logged once per crossing: the attack
     * may come from many addresses, each under the per-source limit.
     */
    void failed(Peer source, ActorRef<TransportCommand> transport, long nowMillis) {
        FailureWindow.Count count = failures.failed(nowMillis);
        transport.tell(new AuthFailed(source, aor, count.failures()));
        if (count.crossedLimit()) {
            log.warn("authentication failures for {}: {} within {} s, the last from {}", aor, count.failures(),
                    settings.limits().failureWindowMillis() / 1000, source);
        }
    }
}
