package org.switchboard.sip;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Via branches this cluster writes: {@code z9hG4bK} + "sb" + a digest of what the branch stands for + a short
 * MAC under the cluster secret. Any node recognises its own branches from the branch alone, with no state, and
 * the same input always gives the same branch, so a retransmitted request is forwarded with the same branch.
 */
public final class Branches {
    private static final String PREFIX = Via.MAGIC_COOKIE + "sb";
    private static final int ID_HEX = 20;
    private static final int MAC_HEX = 8;
    private final SecretKeySpec key;

    public Branches(String clusterSecret) {
        this.key = new SecretKeySpec(clusterSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The branch for a request derived from {@code seed} (e.g. Call-ID, upstream branch, fork index). */
    public String derive(String seed) {
        String id = hmac("id:" + seed).substring(0, ID_HEX);
        return PREFIX + id + hmac("mac:" + id).substring(0, MAC_HEX);
    }

    /** Whether this branch was written by a node of this cluster. */
    public boolean isOurs(String branch) {
        if (branch.length() != PREFIX.length() + ID_HEX + MAC_HEX || !branch.startsWith(PREFIX)) {
            return false;
        }
        String id = branch.substring(PREFIX.length(), PREFIX.length() + ID_HEX);
        return hmac("mac:" + id).substring(0, MAC_HEX).equals(branch.substring(PREFIX.length() + ID_HEX));
    }

    private String hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
