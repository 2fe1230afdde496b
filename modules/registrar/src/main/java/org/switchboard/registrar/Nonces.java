package org.switchboard.registrar;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.switchboard.sip.auth.Hmac;

/**
 * Stateless digest nonces: the issue time and an HMAC of (time, realm) under the cluster secret, so any node can
 * verify a nonce another node issued, and an expired one is recognised as ours but stale (RFC 7616 §3.3).
 */
public final class Nonces {
    public enum Verdict { VALID, STALE, INVALID }

    private final Hmac hmac;
    private final long lifetimeMillis;

    public Nonces(String clusterSecret, long lifetimeMillis) {
        this.hmac = new Hmac(clusterSecret);
        this.lifetimeMillis = lifetimeMillis;
    }

    public String issue(String realm, long nowMillis) {
        String time = Long.toHexString(nowMillis);
        return time + "." + mac(time, realm);
    }

    public Verdict check(String nonce, String realm, long nowMillis) {
        int dot = nonce.indexOf('.');
        if (dot <= 0 || dot > 16) {
            return Verdict.INVALID;
        }
        String time = nonce.substring(0, dot);
        byte[] expected = mac(time, realm).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, nonce.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.INVALID;
        }
        long issued;
        try {
            issued = Long.parseLong(time, 16);
        } catch (NumberFormatException e) {
            return Verdict.INVALID;
        }
        return nowMillis - issued > lifetimeMillis || issued > nowMillis + 60_000 ? Verdict.STALE : Verdict.VALID;
    }

    private String mac(String time, String realm) {
        byte[] out = hmac.sign(time + ":" + realm);
        return HexFormat.of().formatHex(out, 0, 16);
    }
}
