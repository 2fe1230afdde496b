package org.switchboard.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.switchboard.sip.auth.Hmac;

/**
 * The tokens this cluster writes into messages and later believes: Via branches and the Record-Route token of a
 * dialog. Each is a 128-bit HMAC-SHA256 under the cluster secret, bound to the Call-ID (and for a branch to the
 * branch's own id, for a route to a tag of the dialog), compared in constant time. Any node verifies them with
 * no state, and nobody without the secret can make one for a call of their choosing; a token copied from one
 * call is worthless for another.
 *
 * <p>A branch is {@code z9hG4bK} + "sb" + 16 hex digits derived from what the branch stands for + 32 hex digits
 * of MAC. The same input always gives the same branch, so a retransmitted request is forwarded with the same one.
 */
public final class Branches {
    private static final String PREFIX = Via.MAGIC_COOKIE + "sb";
    private static final int ID_HEX = 16;
    /** 128 bits. */
    private static final int MAC_HEX = 32;
    private static final int BRANCH_LENGTH = PREFIX.length() + ID_HEX + MAC_HEX;
    /** A refusal's To tag: a prefix no other tag of ours has, and 64 bits of MAC (enough to drop an ACK by). */
    private static final String REFUSAL_PREFIX = "sbr";
    private static final int REFUSAL_HEX = 16;
    private final Hmac hmac;

    public Branches(String clusterSecret) {
        this.hmac = new Hmac(clusterSecret);
    }

    /** The branch for a request of call {@code callId} derived from {@code seed} (upstream branch, fork index...). */
    public String derive(String callId, String seed) {
        String id = hex("id:" + callId + "|" + seed, ID_HEX);
        return PREFIX + id + branchMac(callId, id);
    }

    /** Whether this branch was written by a node of this cluster for this call. */
    public boolean isOurs(String branch, String callId) {
        if (branch.length() != BRANCH_LENGTH || !branch.startsWith(PREFIX)) {
            return false;
        }
        String id = branch.substring(PREFIX.length(), PREFIX.length() + ID_HEX);
        return constantTimeEquals(branchMac(callId, id), branch.substring(PREFIX.length() + ID_HEX));
    }

    /**
     * The token of our Record-Route in the dialog that the caller with {@code callerTag} (its From tag) opens in
     * call {@code callId}: it lets any node route the dialog's requests after the call's state is gone.
     */
    public String dialogToken(String callId, String callerTag) {
        return hex("rr:" + callId.length() + ":" + callId + ":" + callerTag, MAC_HEX);
    }

    /** Whether {@code token} is the Record-Route token of the dialog of {@code callId} opened by {@code callerTag}. */
    public boolean isDialogToken(String token, String callId, String callerTag) {
        return token.length() == MAC_HEX && constantTimeEquals(dialogToken(callId, callerTag), token);
    }

    /**
     * The To tag of a final response a node sends without an entity (the edge's overload {@code 503}): the ACK
     * that answers it carries the tag back, so the edge that sees it knows it ends there, hop by hop, without
     * waking an entity for a call the cluster never took.
     */
    public String refusalTag(String callId) {
        return REFUSAL_PREFIX + hex("refused:" + callId.length() + ":" + callId, REFUSAL_HEX);
    }

    /** Whether {@code tag} is the {@link #refusalTag} of {@code callId}. */
    public boolean isRefusalTag(String tag, String callId) {
        return tag.length() == REFUSAL_PREFIX.length() + REFUSAL_HEX && tag.startsWith(REFUSAL_PREFIX)
                && constantTimeEquals(refusalTag(callId), tag);
    }

    /**
     * A key for another kind of token this cluster writes and later believes (a temp-gruu, a topology-hiding seal),
     * derived from the cluster secret for {@code purpose} only (256 bits): every node has the same key, and it reveals
     * nothing of the secret nor of the keys of other purposes.
     */
    public byte[] keyFor(String purpose) {
        return hmac.sign("key:" + purpose);
    }

    private String branchMac(String callId, String id) {
        return hex("via:" + id + ":" + callId, MAC_HEX);
    }

    private String hex(String text, int digits) {
        return HexFormat.of().formatHex(hmac.sign(text), 0, digits / 2);
    }

    private static boolean constantTimeEquals(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), actual.getBytes(StandardCharsets.US_ASCII));
    }
}
