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

/** The registrar's rules as a phone sees them, over real UDP against a node process; bulk load with SIPp. */
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
    void twoDevicesOfOneUserAreBothBoundAndListed() {
        try (UdpPhone desk = new UdpPhone(port); UdpPhone mobile = new UdpPhone(port)) {
            assertEquals(200, desk.registerWithAuth("alice", "alice", "alicepw", contact("alice", desk), Optional.of(600)).status());
            SipResponse ok = mobile.registerWithAuth("alice", "alice", "alicepw", contact("alice", mobile), Optional.of(600));
            assertEquals(200, ok.status());
            assertEquals(List.of("sip:alice@127.0.0.1:" + desk.port(), "sip:alice@127.0.0.1:" + mobile.port()).stream().sorted().toList(),
                    ok.contacts().stream().map(c -> c.uri().toString()).sorted().toList());
            assertTrue(ok.contacts().stream().allMatch(c -> c.params().get("expires").isPresent()), ok.toString());
            assertTrue(ok.header("date").isPresent(), "200 OK carries a Date");
        }
    }

    @Test
    void aDeviceReRegisteringWithItsInstanceIdKeepsOneBinding() {
        String instance = ";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-00a0c91e6bf6>\";reg-id=1";
        try (UdpPhone before = new UdpPhone(port); UdpPhone after = new UdpPhone(port)) {
            assertEquals(200, before.registerWithAuth("bob", "bob", "bobpw",
                    Optional.of("<sip:bob@127.0.0.1:" + before.port() + ">" + instance), Optional.of(600)).status());
            SipResponse ok = after.registerWithAuth("bob", "bob", "bobpw",
                    Optional.of("<sip:bob@127.0.0.1:" + after.port() + ">" + instance), Optional.of(600));
            assertEquals(200, ok.status());
            assertEquals(List.of("sip:bob@127.0.0.1:" + after.port()),
                    ok.contacts().stream().map(c -> c.uri().toString()).toList(), ok.toString());
        }
    }

    @Test
    void expiresZeroAndWildcardRemoveBindings() {
        try (UdpPhone a = new UdpPhone(port); UdpPhone b = new UdpPhone(port)) {
            a.registerWithAuth("carol", "carol", "carolpw", contact("carol", a), Optional.of(600));
            b.registerWithAuth("carol", "carol", "carolpw", contact("carol", b), Optional.of(600));
            SipResponse removedOne = a.registerWithAuth("carol", "carol", "carolpw", contact("carol", a), Optional.of(0));
            assertEquals(List.of("sip:carol@127.0.0.1:" + b.port()),
                    removedOne.contacts().stream().map(c -> c.uri().toString()).toList());
            SipResponse removedAll = a.registerWithAuth("carol", "carol", "carolpw", Optional.of("*"), Optional.of(0));
            assertEquals(200, removedAll.status());
            assertEquals(List.of(), removedAll.contacts());
        }
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
    void aWrongPasswordIsChallengedAgain() {
        try (UdpPhone phone = new UdpPhone(port)) {
            SipResponse r = phone.registerWithAuth("erin", "erin", "not-erins-password", contact("erin", phone), Optional.of(600));
            assertEquals(401, r.status());
            assertTrue(r.header("www-authenticate").orElse("").contains("nonce="), r.toString());
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
    void registeringSomeoneElsesAddressIsForbidden() {
        try (UdpPhone phone = new UdpPhone(port)) {
            SipResponse r = phone.registerWithAuth("alice", "bob", "bobpw", contact("alice", phone), Optional.of(600));
            assertEquals(403, r.status(), r.toString());
        }
    }

    @Test
    void anUnknownAddressOfRecordIsNotFound() {
        try (UdpPhone phone = new UdpPhone(port)) {
            assertEquals(404, phone.register("nobody", contact("nobody", phone), Optional.of(600), Optional.empty()).status());
        }
    }

    static Optional<String> contact(String user, UdpPhone phone) {
        return Optional.of(NameAddress.parse("<sip:" + user + "@127.0.0.1:" + phone.port() + ">").toString());
    }
}
