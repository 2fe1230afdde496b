package org.switchboard.sip;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.switchboard.sip.auth.Hmac;

/**
 * Via branches this cluster writes: {@code z9hG4bK} + "sb" + a digest of what the branch stands for + a short
 * MAC under the cluster secret. Any node recognises its own branches from the branch alone, with no state, and
 * the same input always gives the same branch, so a retransmitted request is forwarded with the same branch.
 */
public final class Branches {
    private static final String PREFIX = Via.MAGIC_COOKIE + "sb";
    private static final int ID_HEX = 20;
    private static final int MAC_HEX = 8;
    private final Hmac hmac;
    private final String clusterToken;

    public Branches(String clusterSecret) {
        this.hmac = new Hmac(clusterSecret);
        this.clusterToken = hmac("cluster-token").substring(0, MAC_HEX);
    }

    /**
     * A short token that only nodes holding the cluster secret write (in Record-Route URIs): any node recognises
     * a route recorded by another node of its cluster, whatever address that node had.
     */
    public String clusterToken() {
        return clusterToken;
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
        return HexFormat.of().formatHex(hmac.sign(text));
    }
}
