package org.switchboard.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.switchboard.session.MediaEncryptionPolicy.Mode;
import org.switchboard.sip.ParseResult;
import org.switchboard.sip.SipParser;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.SipTransport;

class MediaEncryptionPolicyTest {
    private static final String CLEAR = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";

    private static SipRequest invite(String sdp) {
        String body = sdp == null ? "" : sdp;
        String text = "INVITE sip:bob@sip.test SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK1\r\n"
                + "From: <sip:alice@sip.test>;tag=1\r\nTo: <sip:bob@sip.test>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\n"
                + "Max-Forwards: 70\r\n" + (sdp == null ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
        return (SipRequest) ((ParseResult.Parsed) SipParser.parse(text.getBytes(StandardCharsets.UTF_8))).message();
    }

    @Test
    void overTlsAnOfferWithoutEncryptedMediaIsRefused() {
        assertFalse(MediaEncryptionPolicy.admits(Mode.REQUIRE_WITH_TLS, SipTransport.TLS, invite(CLEAR)));
    }

    @Test
    void sdesSavpOrDtlsFingerprintsAreEncryptedMedia() {
        assertTrue(MediaEncryptionPolicy.admits(Mode.REQUIRE_WITH_TLS, SipTransport.TLS, invite(CLEAR.replace("RTP/AVP", "RTP/SAVP")
                + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\r\n")));
        assertTrue(MediaEncryptionPolicy.offersEncryptedMedia(CLEAR.replace("RTP/AVP", "UDP/TLS/RTP/SAVPF")));
        assertTrue(MediaEncryptionPolicy.offersEncryptedMedia(CLEAR + "a=fingerprint:sha-256 AB:CD\r\n"));
        assertTrue(MediaEncryptionPolicy.offersEncryptedMedia(CLEAR + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x\r\n"));
        assertFalse(MediaEncryptionPolicy.offersEncryptedMedia(CLEAR.replace("RTP/AVP", "RTP/AVPF")));
    }

    @Test
    void clearTransportsAndThePolicyOffAreNotChecked() {
        assertTrue(MediaEncryptionPolicy.admits(Mode.REQUIRE_WITH_TLS, SipTransport.UDP, invite(CLEAR)));
        assertTrue(MediaEncryptionPolicy.admits(Mode.REQUIRE_WITH_TLS, SipTransport.TCP, invite(CLEAR)));
        assertTrue(MediaEncryptionPolicy.admits(Mode.OFF, SipTransport.TLS, invite(CLEAR)));
    }

    @Test
    void anInviteWithoutAnOfferHasNothingToCheck() {
        assertTrue(MediaEncryptionPolicy.admits(Mode.REQUIRE_WITH_TLS, SipTransport.TLS, invite(null)));
    }

    @Test
    void configurationValues() {
        assertEquals(Mode.OFF, Mode.fromConfig("off"));
        assertEquals(Mode.REQUIRE_WITH_TLS, Mode.fromConfig("require-with-tls"));
        assertThrows(IllegalArgumentException.class, () -> Mode.fromConfig("always"));
    }
}
