package org.switchboard.sip.auth;

/** A WWW-Authenticate / Proxy-Authenticate Digest challenge (RFC 7616 §3.3). */
public record DigestChallenge(String realm, String nonce, Digest.Algorithm algorithm, boolean stale) {
    /** The header value, offering qop=auth. */
    public String headerValue() {
        return "Digest realm=\"" + realm + "\", nonce=\"" + nonce + "\", algorithm=" + algorithm.wireName()
                + ", qop=\"auth\"" + (stale ? ", stale=true" : "");
    }
}
