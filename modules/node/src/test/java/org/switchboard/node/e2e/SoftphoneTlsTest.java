package org.switchboard.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Debian's baresip 1.0 over SIP over TLS with SRTP (SDES, RFC 4568): two phones register with digest over TLS to a
 * node whose certificate (for 127.0.0.1, an IP SAN) comes from a test CA the phones are given ({@code sip_cafile}),
 * call each other with {@code mediaenc=srtp-mand}, agree on a codec and an SRTP suite, and hang up. The node runs
 * with {@code media-encryption = require-with-tls}: the same call without SRTP is refused with 488. baresip 1.0
 * does not check the node's certificate at all, whatever its CA file ({@link #baresipDoesNotCheckTheNodesCertificateAgainstItsCaFile}).
 */
class SoftphoneTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Set<String> OFFERED = Set.of("opus/48000/2", "PCMU/8000/1", "PCMA/8000/1");
    private static final Set<String> SDES_SUITES = Set.of("AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32",
            "AEAD_AES_128_GCM", "AEAD_AES_256_GCM");
    private static TestNode node;
    private static TestCertificates.NodeFiles cert;
    private static String tls;

    @BeforeAll
    static void startNode() {
        Path dir = TestFiles.workDir("softphone-tls-certs");
        cert = TestCertificates.authority(dir, "Switchboard Softphone CA")
                .issueLeaf("node", "sip.test", List.of("DNS:sip.test", "IP:127.0.0.1"));
        int tlsPort = FreePorts.udpAndTcp();
        tls = "127.0.0.1:" + tlsPort;
        node = TestNode.untrusting("softphones-tls", List.of("alice@sip.test,alicepw", "bob@sip.test,bobpw",
                "carol@sip.test,carolpw", "dave@sip.test,davepw"), List.of(
                "switchboard.policy.media-encryption = require-with-tls",
                "switchboard.sip.tls { port = " + tlsPort + ", certificate = \"" + cert.certificate()
                        + "\", private-key = \"" + cert.privateKey() + "\" }"));
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.process().close();
        }
    }

    @Test
    void twoBaresipPhonesRegisterOverTlsAndTalkWithSrtp() {
        try (BaresipPhone alice = phone("alice", "127.0.0.2", "srtp-mand");
             BaresipPhone bob = phone("bob", "127.0.0.3", "srtp-mand")) {
            alice.awaitRegistered(WAIT);
            bob.awaitRegistered(WAIT);
            registeredOverTls(alice, "127.0.0.2");
            registeredOverTls(bob, "127.0.0.3");

            alice.dial("sip:bob@sip.test");
            JsonNode outgoing = alice.awaitEstablished(WAIT);
            JsonNode incoming = bob.awaitEstablished(WAIT);
            assertEquals("outgoing", outgoing.path("direction").asText());
            assertEquals("incoming", incoming.path("direction").asText());
            assertEquals("sip:alice@sip.test", incoming.path("peeruri").asText(), "the callee sees the caller");

            // the INVITE bob got came from the node over TLS: the node's Via (topmost) names TLS and its TLS port,
            // its Record-Route keeps the dialog on TLS, and the offer is SRTP with SDES keys
            String invite = received(bob, "INVITE");
            List<String> vias = invite.lines().filter(l -> l.startsWith("Via: ")).toList();
            assertEquals(2, vias.size(), invite);
            assertTrue(vias.get(0).startsWith("Via: SIP/2.0/TLS " + tls + ";")
                    && vias.get(1).startsWith("Via: SIP/2.0/TLS 127.0.0.2:"), "the node's TLS Via on alice's\n" + invite);
            assertTrue(invite.contains("Record-Route: <sip:" + tls) && invite.contains("transport=tls"), invite);
            assertTrue(invite.contains("RTP/SAVP") && invite.contains("a=crypto:"), "an SDES offer\n" + invite);

            String codec = alice.audioCodec().orElseThrow(() -> new AssertionError("no codec\n" + alice.diagnosis()));
            assertEquals(codec, bob.audioCodec().orElseThrow(() -> new AssertionError("no codec\n" + bob.diagnosis())),
                    "both sides send the same codec");
            assertTrue(OFFERED.contains(codec), codec);
            String suite = alice.srtpSuite().orElseThrow(() -> new AssertionError("no SRTP\n" + alice.diagnosis()));
            assertEquals(suite, bob.srtpSuite().orElseThrow(() -> new AssertionError("no SRTP\n" + bob.diagnosis())),
                    "both sides use the same SRTP suite");
            assertTrue(SDES_SUITES.contains(suite), suite);

            alice.hangup();
            alice.awaitClosed(WAIT);
            JsonNode closed = bob.awaitClosed(WAIT);
            assertTrue(closed.path("param").asText().contains("Connection reset by peer"),
                    "the callee was hung up on by a BYE: " + closed);
            String bye = received(bob, "BYE");
            assertTrue(bye.lines().filter(l -> l.startsWith("Via: ")).findFirst().orElse("")
                    .startsWith("Via: SIP/2.0/TLS " + tls + ";"), "the BYE came from the node over TLS\n" + bye);
            Await.until("the node's 200 to alice's BYE", WAIT,
                    () -> Pattern.compile("SIP/2\\.0 200 OK\\r?\\n(?:[^\\r\\n]+\\r?\\n)*?CSeq: \\d+ BYE")
                            .matcher(alice.output()).find(), alice::diagnosis);
        }
    }

    /** With media-encryption = require-with-tls, a TLS phone that offers plain RTP is refused before any lookup. */
    @Test
    void aTlsPhoneWithoutSrtpIsRefusedWith488() {
        try (BaresipPhone dave = phone("dave", "127.0.0.3", "srtp-mand");
             BaresipPhone carol = phone("carol", "127.0.0.2", "")) {
            dave.awaitRegistered(WAIT);
            carol.awaitRegistered(WAIT);
            carol.dial("sip:dave@sip.test");
            JsonNode closed = carol.awaitClosed(WAIT);
            assertTrue(closed.path("param").asText().contains("488"), "the call ended with 488: " + closed);
            String out = carol.output();
            assertTrue(out.contains("SIP/2.0 488 "), "488 in carol's trace\n" + carol.diagnosis());
            assertTrue(out.contains("RTP/AVP") && !out.contains("RTP/SAVP"), "carol offered plain RTP");
            assertFalse(dave.output().contains("INVITE sip:dave@"), "dave never saw the INVITE\n" + dave.diagnosis());
        }
    }

    /**
     * What {@code sip_cafile} does not do in baresip 1.0: make the phone check the node's certificate. Given a CA
     * that never issued it, the phone registers over TLS all the same. baresip 1.0 has no {@code sip_verify_server}
     * (its binary knows only {@code sip_certificate} and {@code sip_cafile}) and never calls libre's
     * {@code tls_set_verify_server}, and libre 1.1.0 accepts any chain on a SIP TLS connection. So with this phone,
     * TLS keeps a passive listener out but not a man in the middle; the CA file given to the phones in the other
     * tests proves nothing on their side (the node's certificate is checked by TlsTest's own client).
     */
    @Test
    void baresipDoesNotCheckTheNodesCertificateAgainstItsCaFile() {
        Path dir = TestFiles.workDir("softphone-tls-other-ca");
        TestCertificates.authority(dir, "A CA that never issued the node's certificate");
        BaresipPhone.Setup setup = BaresipPhone.Setup.of("carol", "sip.test", "carolpw", "127.0.0.2", tls)
                .transport("tls").configLine("sip_cafile " + dir.resolve("ca.crt"));
        try (BaresipPhone carol = BaresipPhone.start(node.work().resolve("baresip-carol-other-ca"), setup)) {
            carol.awaitRegistered(WAIT);
            registeredOverTls(carol, "127.0.0.2");
            assertTrue(carol.output().contains("ua: adding SIP CA: " + dir.resolve("ca.crt")), carol.diagnosis());
        }
    }

    /** The phone's REGISTERs went over TLS to the node's TLS port, were challenged, and answered with MD5 digest. */
    private static void registeredOverTls(BaresipPhone phone, String from) {
        String out = phone.output();
        assertTrue(Pattern.compile("(?m)^TLS 127\\.0\\.0\\.1:\\d+ -> " + Pattern.quote(tls) + "\\s").matcher(out).find()
                && out.contains("Via: SIP/2.0/TLS " + from + ":"), "sent over TLS to " + tls + "\n" + phone.diagnosis());
        assertTrue(Pattern.compile("\\{\\d+/TLS/v4\\} 200 OK").matcher(out).find(), "registered over TLS\n"
                + phone.diagnosis());
        assertTrue(out.contains("SIP/2.0 401 Unauthorized") && out.contains("Authorization: Digest username=\""
                + phone.setup().user() + "\""), "REGISTER challenged and answered\n" + phone.diagnosis());
    }

    /**
     * The first request of this method that the phone received from the node's TLS port, as its SIP
     * trace shows it: {@code TLS 127.0.0.1:<node's TLS port> -> 127.0.0.1:<phone>}, then the message.
     */
    private static String received(BaresipPhone phone, String method) {
        Matcher m = Pattern.compile("(?s)\\nTLS " + Pattern.quote(tls) + " -> \\S+\\r?\\n(" + method
                + " sip:[^\\r\\n]* SIP/2\\.0\\r?\\n.*?)\\r?\\n\\r?\\n").matcher(phone.output());
        if (!m.find()) {
            throw new AssertionError("no " + method + " from the node's TLS port " + tls + "\n" + phone.diagnosis());
        }
        Matcher length = Pattern.compile("(?m)^Content-Length: (\\d+)").matcher(m.group(1));
        int body = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return m.group(1) + "\r\n\r\n" + phone.output().substring(m.end(), m.end() + body);
    }

    private static BaresipPhone phone(String user, String address, String mediaEncryption) {
        BaresipPhone.Setup setup = BaresipPhone.Setup.of(user, "sip.test", user + "pw", address, tls)
                .transport("tls")
                .configLine("sip_cafile " + cert.ca());
        if (!mediaEncryption.isEmpty()) {
            setup = setup.mediaEncryption(mediaEncryption);
        }
        return BaresipPhone.start(node.work().resolve("baresip-" + user), setup);
    }
}
