package org.switchboard.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import org.switchboard.sip.auth.Digest;
import org.switchboard.sip.auth.DigestCredentials;

/**
 * Authorization values a phone writes in answer to a digest challenge (RFC 7616 §3.4, qop=auth), MD5 or SHA-256.
 * Computed with the JDK's {@link MessageDigest}, not with the node's own digest code: a test that answered with
 * the code under test would agree with it even where both are wrong.
 */
public final class DigestAnswers {
    /** The phone's client nonce: fixed, so that a test's answers are the same on every run. */
    public static final String CNONCE = "0a4f113b";

    private DigestAnswers() {
    }

    /** A qop=auth answer to a WWW-/Proxy-Authenticate value with the algorithm it names (MD5 when none). */
    public static String answer(String challenge, String user, String password, String method, String uri, int nc) {
        DigestCredentials c = DigestCredentials.parse(challenge);
        return answer(c.realm(), c.nonce(), c.algorithm(), user, password, method, uri, nc, CNONCE);
    }

    /** A qop=auth answer with the given algorithm, offered by the challenge or not. */
    public static String answer(Digest.Algorithm alg, String challenge, String user, String password, String method,
                                String uri, int nc) {
        DigestCredentials c = DigestCredentials.parse(challenge);
        return answer(c.realm(), c.nonce(), alg.wireName(), user, password, method, uri, nc, CNONCE);
    }

    /** The answer for a realm and nonce, with the algorithm (its wire name) and client nonce given. */
    public static String answer(String realm, String nonce, String algorithm, String user, String password,
                                String method, String uri, int nc, String cnonce) {
        String count = String.format("%08x", nc);
        String ha1 = hash(algorithm, user + ":" + realm + ":" + password);
        String ha2 = hash(algorithm, method + ":" + uri);
        String response = hash(algorithm, ha1 + ":" + nonce + ":" + count + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", response=\"" + response + "\", algorithm=" + algorithm + ", qop=auth, nc=" + count
                + ", cnonce=\"" + cnonce + "\"";
    }

    /** A challenge with its nonce value blanked, to compare two challenges. */
    public static String withoutNonce(String challenge) {
        return challenge.replaceAll("nonce=\"[^\"]*\"", "nonce=\"\"");
    }

    private static String hash(String algorithm, String text) {
        String jdkName = switch (algorithm.toUpperCase(Locale.ROOT)) {
            case "MD5" -> "MD5";
            case "SHA-256" -> "SHA-256";
            default -> throw new IllegalArgumentException("no phone here answers algorithm " + algorithm);
        };
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jdkName).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
