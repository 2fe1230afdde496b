package org.switchboard.registrar.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.switchboard.sip.SipUri;

/**
 * GRUUs (RFC 5627) of this cluster: the public one, {@code <AOR>;gr=<instance>}, and temporary ones that name the
 * same device without saying which AOR it belongs to, {@code sip:tgruu.<token>@<domain>;gr}.
 *
 * <p><b>Temp-gruus need no storage.</b> The token is the AOR, the instance id, a digest of the registration's
 * Call-ID, the CSeq of the REGISTER it answered and the time it was issued, encrypted and authenticated under a key derived from the cluster secret
 * ({@code Branches.keyFor("temp-gruu")}): the synthetic-IV construction (as RFC 5297 SIV, with HMAC-SHA256 for
 * S2V): the first 16 bytes of HMAC(k1, plaintext) are both the tag and the AES-128-CTR counter block under k2. So
 * <ul>
 * <li>nobody without the secret can make a temp-gruu, nor change one (any change fails the tag: 404), nor learn
 * the AOR or instance from one (RFC 5627 §3.1.2: a temp-gruu keeps its user's AOR private);</li>
 * <li>the IV depends only on the plaintext, so there is no IV to run out of or repeat by accident: two
 * identical IVs only ever encrypt the same text (same AOR, instance, registration, CSeq and millisecond);</li>
 * <li>every REGISTER gets a new temp-gruu (the issue time differs), and all that were issued for the instance's
 * current registration stay valid while it lives (RFC 5627 §5.1), because validity is decided by looking the
 * instance up: registered under the same Call-ID, valid; registered under another Call-ID, revoked (404); not
 * registered, 480.</li>
 * </ul>
 * Any node can resolve any temp-gruu with the shared secret; changing the secret revokes them all, which phones
 * survive by registering again.
 */
public final class Gruus {
    /** What the cluster secret is asked for ({@code Branches.keyFor}). */
    public static final String KEY_PURPOSE = "temp-gruu";
    private static final String PREFIX = "tgruu.";
    private static final byte VERSION = 1;
    private static final int TAG = 16;
    /** Version, issue time, CSeq of the REGISTER. */
    private static final int HEADER = 1 + 8 + 8;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec macKey;
    private final SecretKeySpec encKey;

    /** @param key a key for {@link #KEY_PURPOSE} derived from the cluster secret */
    public Gruus(byte[] key) {
        this.macKey = new SecretKeySpec(hmac(new SecretKeySpec(key, "HmacSHA256"), "mac"), "HmacSHA256");
        this.encKey = new SecretKeySpec(Arrays.copyOf(hmac(new SecretKeySpec(key, "HmacSHA256"), "enc"), 16), "AES");
    }

    /** The public GRUU of an AOR's instance: the AOR with {@code gr} set to the instance id (RFC 5627 §3.1). */
    public static String publicGruu(String aor, String instance) {
        return aor + ";gr=" + escape(instance);
    }

    /**
     * A new temporary GRUU for the instance, valid while it stays registered under {@code callId}; a new one for
     * each REGISTER, which {@code cseq} and {@code issuedAtMillis} tell apart.
     */
    public String temporaryGruu(String aor, String instance, String callId, long cseq, long issuedAtMillis) {
        SipUri uri = SipUri.parse(aor);
        byte[] text = (aor + "\n" + instance + "\n" + registrationOf(callId)).getBytes(StandardCharsets.UTF_8);
        ByteBuffer plain = ByteBuffer.allocate(HEADER + text.length).put(VERSION).putLong(issuedAtMillis).putLong(cseq)
                .put(text);
        byte[] tag = Arrays.copyOf(hmac(macKey, plain.array()), TAG);
        byte[] sealed = ByteBuffer.allocate(TAG + plain.capacity()).put(tag).put(ctr(tag, plain.array())).array();
        return uri.scheme() + ":" + PREFIX + B64.encodeToString(sealed) + "@" + uri.host().toLowerCase(java.util.Locale.ROOT)
                + ";gr";
    }

    /**
     * The device a Request-URI with a {@code gr} parameter names; empty when it is no GRUU of ours (a temp-gruu
     * that does not verify, a malformed one): the proxy answers those 404, like any unknown URI of the domain
     * (RFC 5627 §6.1).
     */
    public Optional<GruuTarget> resolve(SipUri uri) {
        Optional<String> gr = uri.params().get("gr");
        if (gr.isEmpty() || uri.user().isEmpty()) {
            return Optional.empty();
        }
        if (!gr.get().isEmpty()) {
            return Optional.of(new GruuTarget(uri.withParams(org.switchboard.sip.Parameters.EMPTY).addressOfRecord(),
                    SipUri.unescape(gr.get()), Optional.empty()));
        }
        String user = uri.user().get();
        return user.startsWith(PREFIX) ? open(user.substring(PREFIX.length()), uri) : Optional.empty();
    }

    private Optional<GruuTarget> open(String token, SipUri uri) {
        byte[] sealed;
        try {
            sealed = B64D.decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (sealed.length < TAG + HEADER) {
            return Optional.empty();
        }
        byte[] tag = Arrays.copyOf(sealed, TAG);
        byte[] plain = ctr(tag, Arrays.copyOfRange(sealed, TAG, sealed.length));
        if (!MessageDigest.isEqual(tag, Arrays.copyOf(hmac(macKey, plain), TAG)) || plain[0] != VERSION) {
            return Optional.empty();
        }
        String[] parts = new String(plain, HEADER, plain.length - HEADER, StandardCharsets.UTF_8).split("\n", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        // minted for this domain: a token moved under another of our domains is no GRUU of that one
        if (!SipUri.parse(parts[0]).host().equalsIgnoreCase(uri.host())) {
            return Optional.empty();
        }
        return Optional.of(new GruuTarget(parts[0], parts[1], Optional.of(parts[2])));
    }

    /** The instance id as {@code gr} carries it: {@code +sip.instance}'s value without quotes and angle brackets. */
    public static String instanceOf(String sipInstance) {
        String s = sipInstance.trim();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.length() >= 2 && s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** A digest of a registration's Call-ID: what a temp-gruu remembers of the registration it was issued in. */
    public static String registrationOf(String callId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(callId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Percent-escapes what a URI parameter value may not hold (RFC 3261 §25.1 paramchar). */
    private static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-_.!~*'()[]/:&+$".indexOf(c) >= 0;
            sb.append(plain ? String.valueOf(c) : String.format("%%%02X", (int) c));
        }
        return sb.toString();
    }

    private byte[] ctr(byte[] iv, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encKey, new IvParameterSpec(iv));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR unavailable", e);
        }
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        return hmac(key, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
