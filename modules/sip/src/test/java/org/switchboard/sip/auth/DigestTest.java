package org.switchboard.sip.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.switchboard.sip.SipParseException;

/** The worked examples of RFC 2617 §3.5 and RFC 7616 §3.9.1. */
class DigestTest {
    @Test
    void rfc2617Md5Example() {
        String ha1 = Digest.ha1(Digest.Algorithm.MD5, "Mufasa", "testrealm@host.com", "Circle Of Life");
        String response = Digest.responseWithQop(Digest.Algorithm.MD5, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                "00000001", "0a4f113b", "GET", "/dir/index.html");
        assertEquals("6629fae49393a05397450978507c4ef1", response);
    }

    @Test
    void rfc7616Sha256Example() {
        String ha1 = Digest.ha1(Digest.Algorithm.SHA_256, "Mufasa", "http-auth@example.org", "Circle of Life");
        String response = Digest.responseWithQop(Digest.Algorithm.SHA_256, ha1,
                "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "00000001",
                "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "GET", "/dir/index.html");
        assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", response);
    }

    @Test
    void constantTimeComparisonIgnoresHexCase() {
        assertTrue(Digest.constantTimeEquals("6629FAE4", "6629fae4"));
        assertFalse(Digest.constantTimeEquals("6629fae4", "6629fae5"));
    }

    @Test
    void credentialsParseQuotedAndTokenValues() {
        DigestCredentials c = DigestCredentials.parse("Digest username=\"alice\", realm=\"example.com\", "
                + "nonce=\"abc,def\", uri=\"sip:example.com\", response=\"0123\", algorithm=MD5, qop=auth, "
                + "nc=00000001, cnonce=\"xyz\"");
        assertEquals("alice", c.username());
        assertEquals("abc,def", c.nonce());
        assertEquals(Optional.of("auth"), c.qop());
        assertEquals(Optional.of("00000001"), c.get("nc"));
        assertEquals("MD5", c.algorithm());
    }

    @Test
    void malformedCredentialsAreRefused() {
        assertThrows(SipParseException.class, () -> DigestCredentials.parse("Basic dXNlcjpwYXNz"));
        assertThrows(SipParseException.class, () -> DigestCredentials.parse("Digest username=\"unterminated"));
    }

    @Test
    void challengeOffersQopAuth() {
        String value = new DigestChallenge("example.com", "n1", Digest.Algorithm.SHA_256, true).headerValue();
        assertEquals("Digest realm=\"example.com\", nonce=\"n1\", algorithm=SHA-256, qop=\"auth\", stale=true", value);
    }
}
