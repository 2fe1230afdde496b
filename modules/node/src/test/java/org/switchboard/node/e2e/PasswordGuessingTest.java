package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipResponse;

/**
 * One address guesses alice's password: after more than 20 failures within a minute (the default limit) the node
 * bans it, logs one line fail2ban can match, and answers nothing from it any more, on UDP or TCP; another address
 * registers as usual all along. The registrar reports each failed credential to the edge (AuthFailed).
 */
class PasswordGuessingTest {
    /** deploy/fail2ban/switchboard.conf's failregex, with fail2ban's {@code <HOST>} written out (BansTest reads the file). */
    private static final Pattern BAN_LINE = Pattern.compile(
            "(?m)^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) WARN\\s+\\S+ - SECURITY ban source=(?<host>[0-9A-Fa-f.:]+) aor=\\S+ failures=(?<n>\\d+) ");

    @Test
    void anAddressGuessingPasswordsIsBannedWhileAnotherStillRegisters() throws IOException {
        TestNode node = TestNode.start("password-guessing", List.of("alice@sip.test,alicepw", "bob@sip.test,bobpw"),
                List.of());
        int port = Integer.parseInt(node.address().split(":")[1]);
        try {
            int failures = 0;
            boolean answered = true;
            while (answered && failures < 40) {
                String guess = "guess" + failures;
                try (UdpPhone guesser = new UdpPhone("127.0.0.2", "127.0.0.1", port).timeout(Duration.ofSeconds(2))) {
                    Optional<SipResponse> r = attempt(() -> guesser.registerWithAuth("alice", "alice", guess,
                            Optional.of("<sip:alice@127.0.0.2:" + guesser.port() + ">"), Optional.of(600)));
                    answered = r.isPresent();
                    if (answered) {
                        assertNotEquals(200, r.get().status(), "a guess was right");
                        failures++;
                    }
                }
                if (failures % 5 == 0) { // the registered user meanwhile: never refused
                    registers(node, port, "bob", "bobpw");
                }
            }
            assertTrue(failures >= 20 && failures <= 22, "unanswered after " + failures + " failed guesses\n"
                    + node.process().tail());
            Matcher ban = BAN_LINE.matcher(node.process().output());
            assertTrue(ban.find(), "no ban line\n" + node.process().tail());
            assertEquals("127.0.0.2", ban.group("host"));
            assertEquals(21, Integer.parseInt(ban.group("n")));

            try (UdpPhone again = new UdpPhone("127.0.0.2", "127.0.0.1", port).timeout(Duration.ofSeconds(2))) {
                assertEquals(Optional.empty(), attempt(() -> again.registerWithAuth("alice", "alice", "alicepw",
                        Optional.of("<sip:alice@127.0.0.2:" + again.port() + ">"), Optional.of(600))),
                        "the banned address is not answered even with the right password");
            }
            try (Socket tcp = new Socket()) {
                tcp.bind(new InetSocketAddress("127.0.0.2", 0));
                tcp.connect(new InetSocketAddress("127.0.0.1", port), 3000);
                tcp.setSoTimeout(3000);
                tcp.getOutputStream().write("OPTIONS sip:127.0.0.1 SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, tcp.getInputStream().read(), "a TCP connection from the banned address is closed");
            }
            registers(node, port, "bob", "bobpw");
        } finally {
            node.process().close();
        }
    }

    private static void registers(TestNode node, int port, String user, String password) {
        try (UdpPhone phone = new UdpPhone("127.0.0.3", "127.0.0.1", port)) {
            SipResponse ok = phone.registerWithAuth(user, user, password,
                    Optional.of("<sip:" + user + "@127.0.0.3:" + phone.port() + ">"), Optional.of(600));
            assertEquals(200, ok.status(), user + " from 127.0.0.3\n" + node.process().tail());
        }
    }

    private static Optional<SipResponse> attempt(java.util.function.Supplier<SipResponse> exchange) {
        try {
            return Optional.of(exchange.get());
        } catch (AssertionError noFinalResponse) { // UdpPhone: nothing came back in time
            return Optional.empty();
        }
    }
}
