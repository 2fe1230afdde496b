package org.switchboard.transport.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Flow tokens: {@code NODE.aCHANNEL} for a connection a transport node accepted, {@code NODE.oCHANNEL} for one it
 * opened itself. NODE names the owning transport node: 8 hex digits of a hash of its send path's full address
 * (host, port and the actor's uid), so every node computes the same id for it, and a node started again under
 * the same address has a new one: its dead predecessor's flows are not mistaken for its own.
 */
public final class FlowTokens {
    private static final char ACCEPTED = 'a';
    private static final char OPENED = 'o';

    private FlowTokens() {
    }

    /** The id of a transport node, from its send path in Akka's serialized form (ActorRefResolver). */
    public static String nodeId(String serializedSendPath) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(serializedSendPath.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static String token(String nodeId, boolean accepted, String channelId) {
        return nodeId + "." + (accepted ? ACCEPTED : OPENED) + channelId;
    }

    /** The owning node's id; empty for a token of another shape (written by an older version). */
    public static Optional<String> owner(String token) {
        int dot = token.indexOf('.');
        return dot > 0 && dot + 1 < token.length() ? Optional.of(token.substring(0, dot)) : Optional.empty();
    }

    /**
     * Whether a connection for this flow may be opened anew when it is gone: only one its node opened itself (to a
     * peer that listens). A connection a phone opened goes to a port nothing listens on (RFC 5626 §5.3).
     */
    public static boolean reconnectable(String token) {
        int dot = token.indexOf('.');
        return dot > 0 && dot + 1 < token.length() && token.charAt(dot + 1) == OPENED;
    }
}
