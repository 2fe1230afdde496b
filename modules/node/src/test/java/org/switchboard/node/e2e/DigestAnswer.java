package org.switchboard.node.e2e;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import org.switchboard.sip.auth.DigestCredentials;

/**
 * What a phone sends back to a digest challenge (RFC 7616 §3.4, qop=auth), MD5 or SHA-256 as the challenge names.
 * Computed here with the JDK's {@link MessageDigest}, not with the node's own digest code: a test that answered
 * with the code under test would agree with it even where both are wrong.
 */
final class DigestAnswer {
    private DigestAnswer() {
    }

    /**
     * The Authorization (or Proxy-Authorization) value answering {@code challenge} (a WWW- or Proxy-Authenticate
     * value) with the algorithm it offers.
     */
    static String answer(String challenge, String user, String password, String method, String uri, int nc,
                         String cnonce) {
        DigestCredentials c = DigestCredentials.parse(challenge);
        return answer(c.realm(), c.nonce(), c.algorithm(), user, password, method, uri, nc, cnonce);
    }

    /** The same with the algorithm chosen by the caller (to answer with one the challenge did not offer). */
    static String answer(String realm, String nonce, String algorithm, String user, String password, String method,
                         String uri, int nc, String cnonce) {
        String count = String.format("%08x", nc);
        String ha1 = hash(algorithm, user + ":" + realm + ":" + password);
        String ha2 = hash(algorithm, method + ":" + uri);
        String response = hash(algorithm, ha1 + ":" + nonce + ":" + count + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", response=\"" + response + "\", algorithm=" + algorithm + ", qop=auth, nc=" + count
                + ", cnonce=\"" + cnonce + "\"";
    }

    private static String hash(String algorithm, String text) {
        String jdkName = switch (algorithm.toUpperCase(Locale.ROOT)) {
            case "MD5" -> "MD5";
            case "SHA-256" -> "SHA-256";
            default -> throw new IllegalArgumentException("no phone here answers algorithm " + algorithm);
        };
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jdkName)
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
