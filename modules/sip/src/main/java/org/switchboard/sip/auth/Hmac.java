package org.switchboard.sip.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under the cluster secret, for tokens any node can verify (Via branches, digest nonces). A Mac is
 * neither thread-safe nor cheap to create, so each thread keeps its own, keyed once.
 */
public final class Hmac {
    private final ThreadLocal<Mac> macs;

    public Hmac(String secret) {
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    public byte[] sign(String text) {
        return macs.get().doFinal(text.getBytes(StandardCharsets.UTF_8));
    }
}
