package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.sip.NameAddress;
import org.switchboard.sip.SipRequest;
import org.switchboard.sip.SipResponse;

/**
 * SIP over TLS on a real node: phones register with digest and call each other over TLS (the node's Via and
 * Record-Route name its TLS port), a client that only speaks TLS 1.1 is refused, SNI picks the certificate, a
 * certificate renewed on disk is served to the next connection, mutual TLS refuses a client without a
 * certificate, and with media-encryption = require-with-tls an offer without SRTP over TLS gets 488.
 */
class TlsTest {
    static final String SRTP_SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\r\n";
    static final String CLEAR_SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";
    private static final List<String> SUBSCRIBERS = List.of("alice@sip.test,pw", "bob@sip.test,pw", "dave@sip.test,pw",
            "erin@sip.test,pw");

    private static TestCertificates ca;
    private static TestCertificates.NodeFiles nodeCert;
    private static TestCertificates.NodeFiles otherCert;
    private static TestCertificates.NodeFiles clientCert;
    private static TestNode node;
    private static int tlsPort;
    private static TestNode mutual;
    private static int mutualPort;

    @BeforeAll
    static void start() {
        Path dir = TestFiles.workDir("tls-certs");
        ca = TestCertificates.authority(dir, "Switchboard Test CA");
        nodeCert = ca.issueLeaf("node", "sip.test", List.of("DNS:sip.test", "IP:127.0.0.1"));
        otherCert = ca.issueLeaf("other", "other.test", List.of("DNS:other.test"));
        clientCert = ca.issueLeaf("trunk", "trunk.test", List.of("DNS:trunk.test"));
        tlsPort = FreePorts.udpAndTcp();
        node = TestNode.start("tls", SUBSCRIBERS, List.of(
                "switchboard.proxy.authenticate-callers = off",
                "switchboard.policy.media-encryption = require-with-tls",
                "switchboard.sip.tls { port = " + tlsPort + ", " + files(nodeCert) + ", trust = \"" + nodeCert.ca()
                        + "\", client-auth = want, sni = [ { host = \"other.test\", " + files(otherCert) + " } ] }"));
        mutualPort = FreePorts.udpAndTcp();
        mutual = TestNode.start("tls-mutual", SUBSCRIBERS, List.of(
                "switchboard.sip.tls { port = " + mutualPort + ", " + files(nodeCert) + ", trust = \"" + nodeCert.ca()
                        + "\", client-auth = need }"));
    }

    private static String files(TestCertificates.NodeFiles f) {
        return "certificate = \"" + f.certificate() + "\", private-key = \"" + f.privateKey() + "\"";
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.process().close();
        }
        if (mutual != null) {
            mutual.process().close();
        }
    }

    private static InetSocketAddress tls() {
        return new InetSocketAddress("127.0.0.1", tlsPort);
    }

    private static SSLContext trusting() {
        return TlsPhone.context(nodeCert.ca(), Optional.empty());
    }

    @Test
    void phonesRegisterWithDigestAndCallEachOtherOverTls() throws IOException {
        try (TlsPhone bob = new TlsPhone("bob", tls(), trusting(), Optional.empty());
             TlsPhone alice = new TlsPhone("alice", tls(), trusting(), Optional.empty())) {
            assertEquals(200, bob.register("pw").status());
            assertEquals(200, alice.register("pw").status());
            String invite = alice.invite("sip:bob@sip.test", SRTP_SDP);
            SipRequest incoming = bob.awaitRequest("INVITE");
            assertTrue(incoming.headers("via").get(0).startsWith("SIP/2.0/TLS 127.0.0.1:" + tlsPort + ";"),
                    "the node's Via names its TLS port: " + incoming.headers("via"));
            List<String> recordRoutes = incoming.headers("record-route");
            assertEquals(1, recordRoutes.size(), "TLS on both sides: one Record-Route " + recordRoutes);
            assertTrue(recordRoutes.get(0).contains("127.0.0.1:" + tlsPort + ";transport=tls"), recordRoutes.toString());

            var ok = incoming.response(200, "OK").toTag("bobtag").header("Contact", bob.contact());
            recordRoutes.forEach(rr -> ok.header("Record-Route", rr));
            bob.send(new String(ok.body("application/sdp", SRTP_SDP.getBytes(StandardCharsets.UTF_8)).toBytes(),
                    StandardCharsets.UTF_8));
            SipResponse answered = alice.awaitFinal();
            assertEquals(200, answered.status());

            // the dialog's BYE follows the TLS Record-Route to bob and its answer comes back
            String callId = incoming.callId();
            String from = answered.headers("from").get(0);
            String to = answered.headers("to").get(0);
            String route = "Route: " + answered.headers("record-route").get(0);
            String target = NameAddress.parse(answered.headers("contact").get(0)).uri().toString();
            alice.send(TlsPhone.message("ACK " + target + " SIP/2.0", List.of(alice.via(), "Max-Forwards: 70", route,
                    "From: " + from, "To: " + to, "Call-ID: " + callId, "CSeq: 1 ACK"), null, ""));
            alice.send(TlsPhone.message("BYE " + target + " SIP/2.0", List.of(alice.via(), "Max-Forwards: 70", route,
                    "From: " + from, "To: " + to, "Call-ID: " + callId, "CSeq: 2 BYE"), null, ""));
            SipRequest bye = bob.awaitRequest("BYE");
            bob.send(new String(bye.response(200, "OK").toBytes(), StandardCharsets.UTF_8));
            assertEquals(200, alice.awaitFinal().status());
            assertFalse(invite.isEmpty());
        }
    }

    /**
     * A {@code sips:} contact whose server shows a certificate (from a CA the node trusts) for another name: the
     * node's handshake fails on the name, nothing is written to it in clear text, and the fork ends with 503 at once
     * (the caller sees it as 500).
     */
    @Test
    void aSipsTargetWithACertificateForAnotherNameFailsAtOnceAndSeesOnlyAHandshake() throws Exception {
        TestCertificates.NodeFiles wrong = ca.issueLeaf("wrong", "wrong.test", List.of("DNS:wrong.test"));
        try (TlsPeer peer = TlsPeer.start("127.0.0.4", TlsPhone.context(nodeCert.ca(), Optional.of(wrong)));
             UdpPhone bob = new UdpPhone(Integer.parseInt(node.address().split(":")[1]));
             DialogPhone alice = new DialogPhone("alice", node.address())) {
            // erin: no binding left from another test (a TLS phone whose flow is gone would answer 430, as 480)
            assertEquals(200, bob.registerWithAuth("erin", "erin", "pw",
                    Optional.of("<sips:erin@127.0.0.4:" + peer.port() + ">"), Optional.of(600)).status());
            long sent = System.nanoTime();
            SipResponse answer = alice.await(alice.invite("sip:erin@sip.test", List.of(), SRTP_SDP));
            // the fork's 503 (the transport error) reaches the caller as 500 (RFC 3261 §16.7 step 6)
            assertEquals(500, answer.status(), "the call fails with the transport error: " + answer.reason());
            assertTrue(System.nanoTime() - sent < 5_000_000_000L, "within seconds, not at Timer B");
            Await.until("the peer to see the node's handshake", Duration.ofSeconds(5), () -> !peer.connections().isEmpty(),
                    () -> "");
            assertTrue(peer.connections().stream().allMatch(c -> c.startsWith("handshake failed")),
                    "only failed handshakes, never SIP: " + peer.connections());
        }
    }

    /**
     * A caller over UDP and a callee over TLS: the node record-routes twice (RFC 5658), the entry facing bob naming
     * the TLS port, the one facing alice the UDP port, and the caller's BYE, routed through both, reaches bob.
     */
    @Test
    void betweenUdpAndTlsTheNodeRecordRoutesOncePerSide() throws IOException {
        int sipPort = Integer.parseInt(node.address().split(":")[1]);
        try (TlsPhone bob = new TlsPhone("bob", tls(), trusting(), Optional.empty());
             DialogPhone alice = new DialogPhone("alice", node.address())) {
            assertEquals(200, bob.register("pw").status());
            DialogPhone.Sent invite = alice.invite("sip:bob@sip.test", List.of(), SRTP_SDP);
            SipRequest incoming = bob.awaitRequest("INVITE");
            List<String> recordRoutes = incoming.headers("record-route");
            assertEquals(2, recordRoutes.size(), recordRoutes.toString());
            assertTrue(recordRoutes.get(0).contains("127.0.0.1:" + tlsPort + ";transport=tls"), recordRoutes.toString());
            assertTrue(recordRoutes.get(1).contains("127.0.0.1:" + sipPort + ";lr"), recordRoutes.toString());
            String token = recordRoutes.get(0).substring(recordRoutes.get(0).indexOf("sb="));
            assertTrue(recordRoutes.get(1).contains(token), "both carry the same dialog token: " + recordRoutes);

            var ok = incoming.response(200, "OK").toTag("bobtag2").header("Contact", bob.contact());
            recordRoutes.forEach(rr -> ok.header("Record-Route", rr));
            bob.send(new String(ok.body("application/sdp", SRTP_SDP.getBytes(StandardCharsets.UTF_8)).toBytes(),
                    StandardCharsets.UTF_8));
            assertEquals(200, alice.await(invite).status());
            DialogPhone.Sent bye = alice.request(invite.callId(), "BYE", List.of(), null, null);
            SipRequest byeAtBob = bob.awaitRequest("BYE");
            assertTrue(byeAtBob.headers("route").isEmpty(), "both of the node's Routes popped: " + byeAtBob.headers("route"));
            bob.send(new String(byeAtBob.response(200, "OK").toBytes(), StandardCharsets.UTF_8));
            assertEquals(200, alice.await(bye).status());
        }
    }

    @Test
    void anOfferWithoutSrtpOverTlsIsRefusedWith488() throws IOException {
        try (TlsPhone alice = new TlsPhone("alice", tls(), trusting(), Optional.empty())) {
            alice.invite("sip:bob@sip.test", CLEAR_SDP);
            SipResponse refused = alice.awaitFinal();
            assertEquals(488, refused.status());
        }
    }

    @Test
    void overUdpTheOfferIsNotChecked() {
        try (DialogPhone dave = new DialogPhone("dave", node.address());
             DialogPhone alice = new DialogPhone("alice", node.address())) {
            assertEquals(200, dave.register().status());
            alice.invite("sip:dave@sip.test", List.of(), CLEAR_SDP);
            SipRequest incoming = dave.awaitRequest("INVITE");
            assertTrue(new String(incoming.body(), StandardCharsets.UTF_8).contains("RTP/AVP"));
            dave.answer(incoming, 486, "Busy Here");
        }
    }

    @Test
    void aClientOfferingOnlyTls11IsRefused() {
        String old = openssl("-tls1_1");
        assertTrue(old.contains("alert protocol version") || old.contains("unsupported protocol"), old);
        assertFalse(old.contains("Protocol version: TLSv1.1"), old);
        assertTrue(openssl("-tls1_2").contains("Protocol version: TLSv1.2"), "TLS 1.2 must be accepted");
    }

    private static String openssl(String version) {
        try {
            Process p = new ProcessBuilder("openssl", "s_client", "-brief", "-connect", "127.0.0.1:" + tlsPort, version,
                    "-cipher", "DEFAULT@SECLEVEL=0").redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("openssl s_client did not finish");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void sniPicksTheCertificateOfEachHostName() throws IOException {
        try (TlsPhone other = new TlsPhone("x", tls(), trusting(), Optional.of("other.test"));
             TlsPhone ours = new TlsPhone("y", tls(), trusting(), Optional.of("sip.test"));
             TlsPhone none = new TlsPhone("z", tls(), trusting(), Optional.empty())) {
            assertEquals("CN=other.test", other.serverCertificate().getSubjectX500Principal().getName());
            assertEquals("CN=sip.test", ours.serverCertificate().getSubjectX500Principal().getName());
            assertEquals("CN=sip.test", none.serverCertificate().getSubjectX500Principal().getName());
        }
    }

    @Test
    void aCertificateReplacedOnDiskIsServedToTheNextConnection() throws IOException {
        String before = servedSerial("other.test");
        TestCertificates.NodeFiles renewed = ca.issueLeaf("other-renewed", "other.test", List.of("DNS:other.test"));
        Files.copy(renewed.privateKey(), otherCert.privateKey(), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewed.certificate(), otherCert.certificate(), StandardCopyOption.REPLACE_EXISTING);
        String expected = ((java.security.cert.X509Certificate) certificate(renewed.certificate())).getSerialNumber().toString(16);
        assertNotEquals(before, expected);
        List<String> seen = new ArrayList<>();
        Await.until("the renewed certificate to be served", Duration.ofSeconds(20), () -> {
            String now = servedSerial("other.test");
            seen.add(now);
            return now.equals(expected);
        }, () -> "served serials: " + seen + ", expected " + expected + "\n" + node.process().tail());
        assertTrue(node.process().output().contains("TLS certificates reloaded"), node.process().tail());
    }

    private static java.security.cert.Certificate certificate(Path pem) {
        try {
            return TlsPhone.certificates(pem).get(0);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static String servedSerial(String sni) {
        try (TlsPhone probe = new TlsPhone("probe", tls(), trusting(), Optional.of(sni))) {
            return probe.serverCertificate().getSerialNumber().toString(16);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    @Test
    void mutualTlsRefusesAClientWithoutACertificateFromTheTrustBundle() throws IOException {
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", mutualPort);
        try (TlsPhone trunk = new TlsPhone("alice", at, TlsPhone.context(nodeCert.ca(), Optional.of(clientCert)), Optional.empty())) {
            assertEquals(200, trunk.register("pw").status(), "a client with a certificate from the trust bundle is served");
        }
        try (TlsPhone anonymous = new TlsPhone("alice", at, trusting(), Optional.empty())) {
            // with TLS 1.3 the client's handshake ends before the server has checked it: the refusal comes at the
            // first read, as the connection closed with nothing answered
            anonymous.send(TlsPhone.message("OPTIONS sip:bob@sip.test SIP/2.0", List.of(anonymous.via(), "Max-Forwards: 70",
                    "From: <sip:alice@sip.test>;tag=1", "To: <sip:bob@sip.test>", "Call-ID: anon", "CSeq: 1 OPTIONS"), null, ""));
            Await.until("the node to close the connection", Duration.ofSeconds(10), anonymous::closedByPeer, () -> "");
        } catch (IOException | java.io.UncheckedIOException handshakeRefused) {
            // TLS 1.2 or an early alert: the handshake itself failed
        }
        assertTrue(mutual.process().alive());
    }
}
