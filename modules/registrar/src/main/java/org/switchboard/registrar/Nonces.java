package org.switchboard.registrar;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.switchboard.sip.auth.Hmac;

/**
 * Digest nonces that need no shared state: {@code time.incarnation.mac}, the mac an HMAC of (time, realm, AOR,
 * incarnation) under the cluster secret. The AOR binds a nonce to the one entity that issued it; the incarnation
 * (random, drawn when the entity starts) binds it to that entity's lifetime in memory, where the nonce-counts
 * seen with it are kept. A nonce of an earlier incarnation of the same AOR — before a passivation, restart or
 * move — is ours but {@link Verdict#STALE}: the counts that would recognise its replay are gone, so it is never
 * accepted again, and the phone answers {@code stale=true} by re-authenticating without asking its user
 * (RFC 7616 §3.3). An expired nonce is stale the same way.
 */
public final class Nonces {
    public enum Verdict { VALID, STALE, INVALID }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int INCARNATION_HEX = 16;

    private final Hmac hmac;
    private final long lifetimeMillis;

    public Nonces(String clusterSecret, long lifetimeMillis) {
        this.hmac = new Hmac(clusterSecret);
        this.lifetimeMillis = lifetimeMillis;
    }

    /** A fresh incarnation id (64 random bits, hex) for an entity that starts. */
    public static String newIncarnation() {
        byte[] b = new byte[INCARNATION_HEX / 2];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public String issue(String realm, String aor, String incarnation, long nowMillis) {
        String time = Long.toHexString(nowMillis);
        return time + "." + incarnation + "." + mac(time, realm, aor, incarnation);
    }

    public Verdict check(String nonce, String realm, String aor, String incarnation, long nowMillis) {
        int dot = nonce.indexOf('.');
        int dot2 = dot < 0 ? -1 : nonce.indexOf('.', dot + 1);
        if (dot <= 0 || dot > 16 || dot2 - dot - 1 != INCARNATION_HEX) {
            return Verdict.INVALID;
        }
        String time = nonce.substring(0, dot);
        String issuedBy = nonce.substring(dot + 1, dot2);
        byte[] expected = mac(time, realm, aor, issuedBy).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, nonce.substring(dot2 + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.INVALID;
        }
        long issued;
        try {
            issued = Long.parseLong(time, 16);
        } catch (NumberFormatException e) {
            return Verdict.INVALID;
        }
        boolean expired = nowMillis - issued > lifetimeMillis || issued > nowMillis + 60_000;
        return expired || !issuedBy.equals(incarnation) ? Verdict.STALE : Verdict.VALID;
    }

    private String mac(String time, String realm, String aor, String incarnation) {
        byte[] out = hmac.sign(time + ":" + realm + ":" + aor + ":" + incarnation);
        return HexFormat.of().formatHex(out, 0, 16);
    }
}
