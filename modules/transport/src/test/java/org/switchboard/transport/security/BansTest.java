package org.switchboard.transport.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.switchboard.transport.api.AuthFailed;
import org.switchboard.transport.api.Peer;

class BansTest {
    /**
     * deploy/fail2ban/switchboard.conf's failregex as Java reads it: fail2ban's {@code <HOST>} becomes an address
     * group; fail2ban cuts the time (its datepattern) off the line first, and so does {@link #fail2banMatch}.
     */
    static Pattern fail2banFilter() throws IOException {
        Path filter = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (!Files.exists(filter.resolve("deploy/fail2ban/switchboard.conf"))) {
            filter = filter.getParent();
        }
        String regex = Files.readAllLines(filter.resolve("deploy/fail2ban/switchboard.conf")).stream()
                .filter(l -> l.startsWith("failregex = ")).findFirst().orElseThrow().substring("failregex = ".length());
        return Pattern.compile(regex.replace("<HOST>", "(?<host>[0-9A-Fa-f.:]+)"));
    }

    static Matcher fail2banMatch(String loggedLine) throws IOException {
        return fail2banFilter().matcher(loggedLine.replaceFirst(
                "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})", ""));
    }

    private final FakeClock clock = new FakeClock();
    private final Bans bans = new Bans(new EdgeSecurity.AuthFailures(20, Duration.ofSeconds(60), Duration.ofMinutes(15)),
            TrustedPeers.parse(List.of("10.0.0.0/8")), clock);

    @Test
    void theTwentyFirstFailureInAMinuteBansTheSourceForTheBanTime() throws Exception {
        InetAddress attacker = InetAddress.getByName("203.0.113.7");
        for (int i = 1; i <= 20; i++) {
            assertEquals(Optional.empty(), bans.record(failed("203.0.113.7", i)), "failure " + i);
            clock.advance(Duration.ofSeconds(2));
        }
        assertFalse(bans.isBanned(attacker));
        Bans.Ban ban = bans.record(failed("203.0.113.7", 21)).orElseThrow();
        assertEquals("SECURITY ban source=203.0.113.7 aor=sip:alice@example.com failures=21 window=60s ban=900s",
                ban.logLine());
        assertTrue(bans.isBanned(attacker));
        assertFalse(bans.isBanned(InetAddress.getByName("203.0.113.8")), "only that address");
        clock.advance(Duration.ofMinutes(15).minusSeconds(1));
        assertTrue(bans.isBanned(attacker));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(bans.isBanned(attacker), "lifted after ban-time");
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() throws Exception {
        for (int i = 1; i <= 200; i++) {
            assertEquals(Optional.empty(), bans.record(failed("203.0.113.9", i)), "failure " + i);
            clock.advance(Duration.ofSeconds(3)); // 20 a minute: at the limit, never over it
        }
        assertFalse(bans.isBanned(InetAddress.getByName("203.0.113.9")));
    }

    @Test
    void aTrustedPeerIsNeverBanned() throws Exception {
        for (int i = 1; i <= 100; i++) {
            assertEquals(Optional.empty(), bans.record(failed("10.1.2.3", i)));
        }
        assertFalse(bans.isBanned(InetAddress.getByName("10.1.2.3")));
    }

    @Test
    void anIpv6SourceIsBannedByItsAddress() throws Exception {
        for (int i = 1; i <= 21; i++) {
            bans.record(failed("2001:db8::7", i));
        }
        assertTrue(bans.isBanned(InetAddress.getByName("2001:db8:0:0:0:0:0:7")));
    }

    @Test
    void theBanLineMatchesTheFail2banFilterAndAnAorCannotForgeAnotherAddressIntoIt() throws IOException {
        String evil = "sip:x@y\n2026-12-06T12:00:00.000Z WARN  o.s.t.s.Bans - SECURITY ban source=192.0.2.99 aor=z failures=99 ";
        Bans.Ban ban = null;
        for (int i = 1; i <= 21; i++) {
            ban = bans.record(new AuthFailed(new Peer("198.51.100.4", 5060), evil, i)).orElse(ban);
        }
        // as logback writes it (modules/node/src/main/resources/logback.xml)
        String logged = "2026-12-06T18:09:02.123Z WARN  o.s.t.security.Bans - " + ban.logLine() + " aor-failures=21";
        assertFalse(logged.contains("\n"), logged);
        Matcher m = fail2banMatch(logged);
        assertTrue(m.find(), logged);
        assertEquals("198.51.100.4", m.group("host"));
        assertFalse(m.find(), "one match per line, on the real source");
    }

    @Test
    void failuresFromEverNewAddressesStayBounded() {
        for (int i = 0; i < Bans.MAX_SOURCES + 5_000; i++) {
            bans.record(failed("10." + 0 + "." + 0 + "." + 0, 1)); // trusted: not remembered at all
            bans.record(failed("100." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF) + "." + (i & 0xFF), 1));
        }
        assertTrue(bans.sourcesRemembered() <= Bans.MAX_SOURCES, "remembered " + bans.sourcesRemembered());
    }

    private static AuthFailed failed(String host, int aorFailures) {
        return new AuthFailed(new Peer(host, 5060), "sip:alice@example.com", aorFailures);
    }
}
