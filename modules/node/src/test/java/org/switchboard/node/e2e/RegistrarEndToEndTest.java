package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipResponse;

/**
 * The registrar end to end against a node process: 1,000 users with SIPp, and the cases SIPp cannot express
 * (an Authorization replayed byte for byte, a query REGISTER polled until a binding lapses) with a UDP test phone.
 * The other rules run with SIPp in {@link RegistrarSippTest}.
 */
class RegistrarEndToEndTest {
    private static Path work;
    private static int port;
    private static NodeProcess node;

    @BeforeAll
    static void startNode() {
        work = TestFiles.workDir("registrar");
        port = FreePorts.udpAndTcp();
        Path subscribers = TestFiles.subscribers(work, 1000, "alice@sip.test,alicepw", "bob@sip.test,bobpw",
                "carol@sip.test,carolpw", "dave@sip.test,davepw", "erin@sip.test,erinpw");
        Path config = TestFiles.write(work.resolve("node.conf"), List.of("switchboard.registrar.min-expires = 1s"));
        node = NodeProcess.start(work.resolve("node.log"), "--sip", "127.0.0.1:" + port, "--data",
                work.resolve("data").toString(), "--subscribers", subscribers.toString(), "--config", config.toString())
                .awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Test
    void thousandDistinctUsersRegisterWithDigestAuth() {
        Path users = TestFiles.registerCsv(work, "users.csv", IntStream.range(0, 1000)
                .mapToObj(i -> new String[] {TestFiles.user(i), "pw" + TestFiles.user(i)}).toList());
        Sipp.Result reg = Sipp.run(work, "register-1000", "127.0.0.1:" + port, Sipp.scenario("reg_auth.xml"),
                FreePorts.udpAndTcp(), Duration.ofSeconds(120), "-inf", users.toString(), "-m", "1000", "-r", "200",
                "-l", "1000");
        assertEquals(1000, reg.successful(), reg.diagnosis());
        assertEquals(0, reg.failed(), reg.diagnosis());
    }

    @Test
    void aBindingDisappearsAfterItsExpiry() {
        try (UdpPhone phone = new UdpPhone(port)) {
            SipResponse ok = phone.registerWithAuth("dave", "dave", "davepw", contact("dave", phone), Optional.of(2));
            assertEquals(1, ok.contacts().size());
            Await.until("dave's binding to expire", Duration.ofSeconds(15),
                    () -> phone.registerWithAuth("dave", "dave", "davepw", Optional.empty(), Optional.empty())
                            .contacts().isEmpty(), () -> node.tail());
        }
    }

    @Test
    void aReplayedAuthorizationIsRefused() {
        try (UdpPhone phone = new UdpPhone(port)) {
            assertEquals(200, phone.registerWithAuth("erin", "erin", "erinpw", contact("erin", phone), Optional.of(600)).status());
            SipResponse replay = phone.register("erin", contact("erin", phone), Optional.of(600),
                    Optional.of(phone.lastAuthorization()));
            assertEquals(401, replay.status(), "same nonce and nonce-count again must not be accepted");
        }
    }

    @Test
    void anUnknownAddressOfRecordIsChallengedThenRefusedLikeAWrongPassword() {
        try (UdpPhone phone = new UdpPhone(port)) {
            assertEquals(401, phone.register("nobody", contact("nobody", phone), Optional.of(600), Optional.empty()).status(),
                    "no 404: whether a user exists is not said (DigestEnumerationTest compares the answers byte for byte)");
            assertEquals(403, phone.registerWithAuth("nobody", "nobody", "pw", contact("nobody", phone), Optional.of(600)).status());
        }
    }

    static Optional<String> contact(String user, UdpPhone phone) {
        return Optional.of(NameAddress.parse("<sip:" + user + "@127.0.0.1:" + phone.port() + ">").toString());
    }
}
