package org.switchboard.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Digest authentication arithmetic (RFC 2617 / RFC 7616, qop=auth), MD5 and SHA-256. */
public final class Digest {
    public enum Algorithm {
        MD5("MD5"), SHA_256("SHA-256");

        private final String wireName;

        Algorithm(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static java.util.Optional<Algorithm> fromWire(String name) {
            for (Algorithm a : values()) {
                if (a.wireName.equalsIgnoreCase(name)) {
                    return java.util.Optional.of(a);
                }
            }
            return java.util.Optional.empty();
        }

        String jcaName() {
            return this == MD5 ? "MD5" : "SHA-256";
        }
    }

    private Digest() {
    }

    /** HA1 = H(username:realm:password): what the registrar stores instead of the password. */
    public static String ha1(Algorithm alg, String username, String realm, String password) {
        return hex(alg, username + ":" + realm + ":" + password);
    }

    /** The expected response for qop=auth: H(HA1:nonce:nc:cnonce:qop:H(method:uri)). */
    public static String responseWithQop(Algorithm alg, String ha1, String nonce, String nc, String cnonce,
                                         String method, String uri) {
        String ha2 = hex(alg, method + ":" + uri);
        return hex(alg, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
    }

    /** The expected response without qop (RFC 2069 compatibility): H(HA1:nonce:H(method:uri)). */
    public static String responseWithoutQop(Algorithm alg, String ha1, String nonce, String method, String uri) {
        return hex(alg, ha1 + ":" + nonce + ":" + hex(alg, method + ":" + uri));
    }

    /** Compares two hex digests in time independent of where they differ. */
    public static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
                b.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    public static String hex(Algorithm alg, String text) {
        try {
            MessageDigest md = MessageDigest.getInstance(alg.jcaName());
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without " + alg.jcaName(), e);
        }
    }
}
