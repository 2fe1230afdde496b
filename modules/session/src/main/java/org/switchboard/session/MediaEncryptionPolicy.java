package org.switchboard.session;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.switchboard.sip.HeaderName;
import org.switchboard.sip.SipRequest;
import org.switchboard.transport.api.SipTransport;

/**
 * {@code switchboard.policy.media-encryption}: whether a call whose signalling is encrypted must offer encrypted
 * media. Keys exchanged over TLS protect nothing when the RTP that follows is clear, so with
 * {@link Mode#REQUIRE_WITH_TLS} an initial INVITE that came over TLS with an SDP offer holding no sign of SRTP
 * (SDES {@code a=crypto}, RFC 4568; a secure profile {@code RTP/SAVP} or {@code RTP/SAVPF} on an m= line; a DTLS
 * {@code a=fingerprint}, RFC 5763) is refused with 488. Pure: the call entity asks and answers.
 */
public final class MediaEncryptionPolicy {
    public enum Mode {
        OFF, REQUIRE_WITH_TLS;

        /** From the configuration's {@code off} / {@code require-with-tls}. */
        public static Mode fromConfig(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "off", "false", "no" -> OFF;
                case "require-with-tls" -> REQUIRE_WITH_TLS;
                default -> throw new IllegalArgumentException(
                        "switchboard.policy.media-encryption must be off or require-with-tls, not '" + value + "'");
            };
        }
    }

    private MediaEncryptionPolicy() {
    }

    /** Whether the initial INVITE {@code invite} that arrived over {@code arrivedOn} may be routed. */
    public static boolean admits(Mode mode, SipTransport arrivedOn, SipRequest invite) {
        if (mode == Mode.OFF || arrivedOn != SipTransport.TLS) {
            return true;
        }
        boolean sdp = invite.header(HeaderName.CONTENT_TYPE).map(t -> t.toLowerCase(Locale.ROOT).contains("application/sdp"))
                .orElse(false);
        if (!sdp || invite.body().length == 0) {
            return true; // no offer here: it comes in the answer, which this proxy does not hold the call for
        }
        return offersEncryptedMedia(new String(invite.body(), StandardCharsets.UTF_8));
    }

    /** Whether an SDP body keys or negotiates SRTP anywhere: a=crypto, a=fingerprint or a SAVP/SAVPF m= line. */
    static boolean offersEncryptedMedia(String sdp) {
        for (String raw : sdp.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("a=crypto:") || line.startsWith("a=fingerprint:")) {
                return true;
            }
            if (line.startsWith("m=")) {
                String[] fields = line.substring(2).split("\\s+");
                if (fields.length >= 3 && fields[2].toUpperCase(Locale.ROOT).matches("(.*/)?RTP/SAVPF?")) {
                    return true;
                }
            }
        }
        return false;
    }
}
