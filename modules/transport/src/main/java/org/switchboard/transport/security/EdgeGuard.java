package org.switchboard.transport.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The first question for every message and connection, before any byte is parsed: may this source go on? */
public final class EdgeGuard {
    public enum Verdict { ADMIT, RATE_LIMITED, BANNED }

    private final TrustedPeers trusted;
    private final Optional<RateLimiter> limiter;
    private final Bans bans;
    /** The node's own loopback phones while it warms up: exact socket addresses, never a whole host. */
    private final Set<InetSocketAddress> ownSockets = ConcurrentHashMap.newKeySet();

    public EdgeGuard(TrustedPeers trusted, Optional<RateLimiter> limiter, Bans bans) {
        this.trusted = trusted;
        this.limiter = limiter;
        this.bans = bans;
    }

    public static EdgeGuard of(EdgeSecurity s) {
        return new EdgeGuard(s.trusted(),
                s.rateLimit().enabled() ? Optional.of(new RateLimiter(s.rateLimit(), System::nanoTime)) : Optional.empty(),
                new Bans(s.authFailures(), s.trusted(), System::nanoTime));
    }

    /** Admits nothing from a banned source, and takes a token from the source's bucket. Trusted peers pass. */
    public Verdict check(InetAddress source) {
        if (trusted.contains(source)) {
            return Verdict.ADMIT;
        }
        if (bans.isBanned(source)) {
            return Verdict.BANNED;
        }
        if (limiter.isPresent() && !limiter.get().admit(source)) {
            return Verdict.RATE_LIMITED;
        }
        return Verdict.ADMIT;
    }

    /** As {@link #check(InetAddress)}, except for a socket of this node's own (see {@link #exempt}). */
    public Verdict check(InetSocketAddress source) {
        if (!ownSockets.isEmpty() && ownSockets.contains(source)) {
            return Verdict.ADMIT;
        }
        return check(source.getAddress());
    }

    /**
     * Spares one socket address of this node's own from the rate limit and the bans, e.g. the warm-up's phones that
     * send more than any phone may; until {@link #endExemption}.
     */
    public void exempt(InetSocketAddress ownSocket) {
        ownSockets.add(ownSocket);
    }

    public void endExemption(InetSocketAddress ownSocket) {
        ownSockets.remove(ownSocket);
    }

    public boolean trusted(InetAddress source) {
        return trusted.contains(source);
    }

    public Bans bans() {
        return bans;
    }
}
