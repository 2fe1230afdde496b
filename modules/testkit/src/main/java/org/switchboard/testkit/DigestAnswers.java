package org.switchboard.testkit;

import org.switchboard.sip.auth.Digest;
import org.switchboard.sip.auth.DigestCredentials;

/** Authorization values a phone writes in answer to a digest challenge (RFC 7616, qop=auth). */
public final class DigestAnswers {
    /** The phone's client nonce: fixed, so that a test's answers are the same on every run. */
    public static final String CNONCE = "0a4f113b";

    private DigestAnswers() {
    }

    /** A qop=auth MD5 answer to a WWW-/Proxy-Authenticate value (its realm and nonce), with nonce count {@code nc}. */
    public static String answer(String challenge, String user, String password, String method, String uri, int nc) {
        return answer(Digest.Algorithm.MD5, challenge, user, password, method, uri, nc);
    }

    /** A qop=auth answer with the given algorithm. */
    public static String answer(Digest.Algorithm alg, String challenge, String user, String password, String method,
                                String uri, int nc) {
        DigestCredentials c = DigestCredentials.parse(challenge);
        String count = String.format("%08x", nc);
        String ha1 = Digest.ha1(alg, user, c.realm(), password);
        String response = Digest.responseWithQop(alg, ha1, c.nonce(), count, CNONCE, method, uri);
        return "Digest username=\"" + user + "\", realm=\"" + c.realm() + "\", nonce=\"" + c.nonce()
                + "\", uri=\"" + uri + "\", response=\"" + response + "\", algorithm=" + alg.wireName()
                + ", qop=auth, nc=" + count + ", cnonce=\"" + CNONCE + "\"";
    }

    /** A challenge with its nonce value blanked, to compare two challenges. */
    public static String withoutNonce(String challenge) {
        return challenge.replaceAll("nonce=\"[^\"]*\"", "nonce=\"\"");
    }
}
