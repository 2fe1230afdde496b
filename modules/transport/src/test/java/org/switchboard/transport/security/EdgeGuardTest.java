package org.switchboard.transport.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The node's own sockets (the warm-up's phones) pass the edge by exact address, and only while exempted. */
class EdgeGuardTest {
    private final FakeClock clock = new FakeClock();
    private final EdgeGuard guard = new EdgeGuard(new TrustedPeers(List.of()),
            Optional.of(new RateLimiter(new EdgeSecurity.RateLimit(true, 50, 200, 1000, Duration.ofSeconds(60)), clock)),
            new Bans(new EdgeSecurity.AuthFailures(20, Duration.ofSeconds(60), Duration.ofMinutes(15)),
                    new TrustedPeers(List.of()), clock));

    @Test
    void anExemptSocketIsNeverLimitedAnotherPortOfItsHostIs() {
        InetSocketAddress own = new InetSocketAddress("127.0.0.1", 40000);
        InetSocketAddress neighbour = new InetSocketAddress("127.0.0.1", 40001);
        guard.exempt(own);
        assertEquals(1000, admitted(own, 1000), "the node's own socket");
        assertEquals(200, admitted(neighbour, 1000), "another socket of the same host: its burst, then the limit");
    }

    @Test
    void theExemptionEnds() {
        InetSocketAddress own = new InetSocketAddress("127.0.0.1", 40000);
        guard.exempt(own);
        guard.endExemption(own);
        assertEquals(200, admitted(own, 1000));
    }

    private int admitted(InetSocketAddress source, int messages) {
        int n = 0;
        for (int i = 0; i < messages; i++) {
            n += guard.check(source) == EdgeGuard.Verdict.ADMIT ? 1 : 0;
        }
        return n;
    }
}
